// The simulator's chat: forms post to /simulator/send and replies are appended as text only
// (textContent, never HTML), so whatever the engine echoes back stays inert.
(function () {
  "use strict";
  var chat = document.getElementById("chat");
  var composer = document.getElementById("composer");
  var restart = document.getElementById("sim-restart");
  if (!chat || !composer || !restart) { return; }
  var token = composer.querySelector("input[name=csrf_token]").value;
  var modeSelect = document.getElementById("sim-mode");
  var langSelect = document.getElementById("sim-lang");

  function bubble(cls, text) {
    var div = document.createElement("div");
    div.className = "bubble " + cls;
    var body = document.createElement("div");
    body.className = "text";
    body.textContent = text;
    div.appendChild(body);
    chat.appendChild(div);
    chat.scrollTop = chat.scrollHeight;
    return div;
  }

  function show(reply) {
    var div = bubble("theirs", reply.text);
    if (reply.segments) {
      var meta = document.createElement("div");
      meta.className = "meta";
      meta.textContent = chat.dataset.segments + ": " + reply.segments + " · " + reply.encoding;
      div.appendChild(meta);
    }
    if (reply.choices && reply.choices.length) {
      var keyboard = document.createElement("div");
      keyboard.className = "keyboard";
      reply.choices.forEach(function (choice) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "choice";
        button.textContent = choice.label;
        button.addEventListener("click", function () {
          send({ payload: choice.payload }, choice.label);
        });
        keyboard.appendChild(button);
      });
      div.appendChild(keyboard);
    }
  }

  // One request at a time, in order: a new conversation's cookie must be set before the
  // next message leaves, and replies must appear in the order the engine gave them.
  var queue = Promise.resolve();
  var conversation = 0;  // replies still on their way from an earlier conversation are dropped

  function send(fields, echo) {
    if (echo) { bubble("mine", echo); }
    queue = queue.then(function () { return post(fields); });
    return queue;
  }

  function post(fields) {
    var mine = conversation;
    var body = new URLSearchParams();
    body.set("csrf_token", token);
    body.set("mode", modeSelect.value);
    body.set("lang", langSelect.value);
    Object.keys(fields).forEach(function (key) { body.set(key, fields[key]); });
    return fetch("/simulator/send", {
      method: "POST",
      headers: { "Accept": "application/json" },
      body: body,
      credentials: "same-origin"
    }).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.json();
    }).then(function (data) {
      if (mine === conversation) { data.replies.forEach(show); }
    }).catch(function (error) {
      bubble("error", "⚠ " + error.message);
    });
  }

  composer.addEventListener("submit", function (event) {
    event.preventDefault();
    var input = document.getElementById("sim-text");
    var text = input.value;
    if (!text.trim()) { return; }
    input.value = "";
    send({ text: text }, text);
  });

  restart.addEventListener("submit", function (event) {
    event.preventDefault();
    conversation += 1;
    chat.textContent = "";
    chat.className = "chat " + modeSelect.value;
    send({ restart: "1", lang: langSelect.value }, null);
  });
})();
