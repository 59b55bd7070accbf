// Live meeting mode: fetch the poll's published figures every few seconds and redraw the bars.
// Without script the page shows the same figures; a manual refresh updates them.
(function () {
  "use strict";
  var root = document.getElementById("main");
  if (!root || !window.fetch) { return; }
  var url = root.getAttribute("data-url");
  if (!url) { return; }  // a survey: no live figures to fetch
  var seconds = parseInt(root.getAttribute("data-refresh"), 10) || 5;

  function draw(data) {
    var bars = document.getElementById("live-bars");
    var waiting = document.getElementById("live-waiting");
    var total = document.getElementById("live-total");
    bars.hidden = !data.shown;
    total.hidden = !data.shown;
    waiting.hidden = !!data.shown;
    if (!data.shown) { return; }
    total.textContent = total.getAttribute("data-template").replace("{n}", String(data.total));
    var items = bars.querySelectorAll("li");
    for (var i = 0; i < items.length; i++) {
      var item = items[i];
      var key = item.getAttribute("data-position");
      var share = key === "other" ? data.other : data.shares[key];
      var n = item.querySelector(".bar-n");
      var rect = item.querySelector("rect");
      if (key === "other") {
        item.hidden = share === null || share === undefined;
        share = share || 0;
        n.textContent = share + "%";
      } else if (share === undefined) {
        n.textContent = n.getAttribute("data-merged");
        share = 0;
      } else {
        n.textContent = share + "%";
      }
      rect.setAttribute("width", String(share));
    }
  }

  function tick() {
    fetch(url, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data) { draw(data); } })
      .catch(function () { /* the next tick tries again */ })
      .then(function () { window.setTimeout(tick, seconds * 1000); });
  }
  window.setTimeout(tick, seconds * 1000);
})();
