// virtgraph site search: the matching of `virtgraph lookup`, in the browser (see virtgraph/site/search.py).
// A query is normalised as lookup normalises a term (NFKC, case-folded, without spaces and - _ . ·), looked
// up as written, then under its other spellings (Simplified characters, English singular); then, while
// typing, every key that contains it. No network: the index is a script beside the pages.
(function () {
  "use strict";
  var IGNORED = /[ \t\n\-_.·・]/g;
  var CJK = /[\u3400-\u9fff\uf900-\ufaff]/;
  var NOT_PLURAL = ["ss", "us", "is", "os"];

  function normalize(text) {
    return text.normalize("NFKC").toLowerCase().replace(IGNORED, "");
  }

  function simplified(text, t2s) {
    var out = "";
    for (var i = 0; i < text.length; i++) {
      var ch = text[i];
      out += Object.prototype.hasOwnProperty.call(t2s, ch) ? t2s[ch] : ch;
    }
    return out;
  }

  function singularWord(word) {
    var lower = word.toLowerCase();
    if (word.length < 3 || lower[lower.length - 1] !== "s" || word === word.toUpperCase()) return word;
    for (var i = 0; i < NOT_PLURAL.length; i++) if (lower.endsWith(NOT_PLURAL[i])) return word;
    if (lower.endsWith("ies") && word.length > 4) {
      var y = word[word.length - 3] === word[word.length - 3].toUpperCase() ? "Y" : "y";
      return word.slice(0, -3) + y;
    }
    return word.slice(0, -1);
  }

  function spellings(text, t2s) {
    var n = text.normalize("NFKC");
    var forms = CJK.test(n) ? [simplified(n, t2s)] : [n];
    return forms.concat(forms.map(function (f) { return f.replace(/[A-Za-z]+/g, singularWord); }));
  }

  // Edit distance of a and b (insertions, deletions, substitutions, swaps of neighbours), or limit + 1 when it
  // is larger than limit.
  function distance(a, b, limit) {
    if (Math.abs(a.length - b.length) > limit) return limit + 1;
    var rows = [[]];
    for (var j = 0; j <= b.length; j++) rows[0][j] = j;
    for (var i = 1; i <= a.length; i++) {
      rows[i] = [i];
      var best = i;
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var d = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2][j - 2] + 1);
        rows[i][j] = d;
        if (d < best) best = d;
      }
      if (best > limit) return limit + 1;
    }
    return rows[a.length][b.length];
  }

  // The concepts a query names, best first: exact keys (preferred labels first), then keys that start with
  // it, then keys that contain it (shorter keys first), and when nothing does, the keys a typo or two away.
  // Each entry: {concept, key, rank (0 exact, 1 starts with it, 2 contains it, 3 near it), preferred}.
  function search(query, data, limit) {
    var keys = data.keys;
    var forms = [normalize(query)].concat(spellings(query, data.t2s).map(normalize));
    forms = forms.filter(function (f, i) { return f && forms.indexOf(f) === i; });
    var seen = {};
    var found = [];
    function add(numbers, key, rank) {
      var ordered = numbers.slice().sort(function (a, b) { return (a < 0) - (b < 0); });
      ordered.forEach(function (n) {
        var i = n < 0 ? -1 - n : n;
        if (!seen[i]) {
          seen[i] = true;
          found.push({ concept: data.concepts[i], key: key, rank: rank, preferred: n >= 0 });
        }
      });
    }
    for (var f = 0; f < forms.length; f++) {
      if (Object.prototype.hasOwnProperty.call(keys, forms[f])) {
        add(keys[forms[f]], forms[f], 0);
        break; // lookup stops at the first spelling that names anything
      }
    }
    if (forms.length) {
      var near = [];
      Object.keys(keys).forEach(function (key) {
        for (var j = 0; j < forms.length; j++) {
          var at = key.indexOf(forms[j]);
          if (at >= 0) {
            near.push([at === 0 ? 1 : 2, key.length - forms[j].length, key]);
            return;
          }
        }
      });
      near.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1] || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0); });
      near.forEach(function (n) { add(keys[n[2]], n[2], n[0]); });
    }
    if (!found.length && forms.length) {
      // nothing contains it: the nearest spellings, as lookup's "did you mean" (rank 3)
      var limitEdits = Math.max(1, Math.floor(forms[0].length / 4));
      var close = [];
      Object.keys(keys).forEach(function (key) {
        var d = distance(forms[0], key, limitEdits);
        if (d <= limitEdits) close.push([d, key]);
      });
      close.sort(function (a, b) { return a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0); });
      close.forEach(function (c) { add(keys[c[1]], c[1], 3); });
    }
    return found.slice(0, limit || 12);
  }

  window.virtgraphSearch = search;

  function start() {
    var data = window.VIRTGRAPH_SEARCH;
    var root = document.documentElement.getAttribute("data-root") || "";
    document.querySelectorAll("form.search").forEach(function (form) {
      var input = form.querySelector("input[type=search]");
      var list = form.querySelector(".search-results");
      var status = form.querySelector(".search-status");
      if (!data || !input || !list) return;
      function show() {
        var hits = input.value.trim() ? search(input.value, data, 12) : [];
        list.innerHTML = "";
        hits.forEach(function (hit) {
          var item = document.createElement("li");
          var link = document.createElement("a");
          link.href = root + hit.concept.url;
          link.textContent = hit.concept.label;
          if (hit.concept.kind) {
            var kind = document.createElement("span");
            kind.className = "kind";
            kind.textContent = " · " + hit.concept.kind;
            link.appendChild(kind);
          }
          item.appendChild(link);
          list.appendChild(item);
        });
        list.hidden = hits.length === 0;
        if (status) status.textContent = input.value.trim() ? (form.getAttribute("data-found") || "{n}").replace("{n}", hits.length) : "";
      }
      input.addEventListener("input", show);
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        show();
        var first = list.querySelector("a");
        if (first) window.location.href = first.href;
      });
      input.addEventListener("keydown", function (event) {
        var first = list.querySelector("a");
        if (event.key === "ArrowDown" && first) { event.preventDefault(); first.focus(); }
      });
      list.addEventListener("keydown", function (event) {
        var here = document.activeElement.parentElement;
        var next = event.key === "ArrowDown" ? here.nextElementSibling : event.key === "ArrowUp" ? here.previousElementSibling : null;
        if (event.key === "ArrowUp" && !next) { event.preventDefault(); input.focus(); return; }
        if (next) { event.preventDefault(); next.querySelector("a").focus(); }
      });
      if (input.value) show();
    });
  }

  if (typeof document !== "undefined") {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
    else start();
  }
})();
