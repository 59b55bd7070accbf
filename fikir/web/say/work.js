(function () {
  // The small proof of work /say asks of a busy network (fikir/web/say/guard.py): find a nonce
  // whose SHA-256 with the challenge starts with enough zero bits. Plain SHA-256 in script,
  // since crypto.subtle exists only on https pages.
  var forms = document.querySelectorAll("form[data-bits]"), field = document.querySelector("[name=pow]");
  if (!forms.length || !field || !field.value) return;
  var challenge = field.value, bits = +forms[0].getAttribute("data-bits") || 16;
  var note = document.getElementById("work");
  var K = [], H0 = [], p = 2, n = 0, found = false, waiting = null, sending = null;
  function frac(x) { return (x - Math.floor(x)) * 4294967296 | 0; }
  while (n < 64) {
    for (var q = 2, prime = true; q * q <= p; q++) if (p % q === 0) prime = false;
    if (prime) { if (n < 8) H0[n] = frac(Math.pow(p, 1 / 2)); K[n++] = frac(Math.pow(p, 1 / 3)); }
    p++;
  }
  function r(x, s) { return x >>> s | x << (32 - s); }
  function first(s) {
    var m = [], l = s.length, i, j, w = [], words = (((l + 8) >> 6) + 1) * 16;
    for (i = 0; i < words; i++) m[i] = 0;
    for (i = 0; i < l; i++) m[i >> 2] |= s.charCodeAt(i) << (24 - (i % 4) * 8);
    m[l >> 2] |= 0x80 << (24 - (l % 4) * 8);
    m[words - 1] = l * 8;
    var h = H0.slice();
    for (j = 0; j < words; j += 16) {
      var a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
      for (i = 0; i < 64; i++) {
        if (i < 16) w[i] = m[j + i];
        else w[i] = (r(w[i - 15], 7) ^ r(w[i - 15], 18) ^ (w[i - 15] >>> 3)) + w[i - 7] +
          (r(w[i - 2], 17) ^ r(w[i - 2], 19) ^ (w[i - 2] >>> 10)) + w[i - 16] | 0;
        var t1 = k + (r(e, 6) ^ r(e, 11) ^ r(e, 25)) + (e & f ^ ~e & g) + K[i] + w[i] | 0;
        var t2 = (r(a, 2) ^ r(a, 13) ^ r(a, 22)) + (a & b ^ a & c ^ b & c) | 0;
        k = g; g = f; f = e; e = d + t1 | 0; d = c; c = b; b = a; a = t1 + t2 | 0;
      }
      h[0] = h[0] + a | 0; h[1] = h[1] + b | 0; h[2] = h[2] + c | 0; h[3] = h[3] + d | 0;
      h[4] = h[4] + e | 0; h[5] = h[5] + f | 0; h[6] = h[6] + g | 0; h[7] = h[7] + k | 0;
    }
    return h[0] >>> 0;
  }
  var nonce = 0;
  function work() {
    for (var end = nonce + 4000; nonce < end; nonce++) {
      if (first(challenge + ":" + nonce) >>> (32 - bits) === 0) {
        var fields = document.querySelectorAll("[name=nonce]");
        for (var i = 0; i < fields.length; i++) fields[i].value = String(nonce);
        found = true;
        if (note) note.hidden = true;
        if (sending && (waiting === true || !sending.requestSubmit)) sending.submit();
        else if (sending) sending.requestSubmit(waiting);
        return;
      }
    }
    setTimeout(work, 0);
  }
  function hold(event) {
    if (found) return;
    event.preventDefault();
    sending = event.target;
    waiting = event.submitter || true;
    if (note) note.hidden = false;
  }
  for (var f = 0; f < forms.length; f++) forms[f].addEventListener("submit", hold);
  setTimeout(work, 0);
})();
