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

  // The concepts a query names, best first: exact keys (preferred labels first), then keys that start with
  // it, then keys that contain it (shorter keys first). Each entry: {concept, key, exact}.
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
