/* openbook search: the header box (a combobox with a results popup) and
 * the search/ page, over the index that `openbook build` writes
 * (src/search.rs explains its files).
 *
 * Every index file is a script that calls OPENBOOK_SEARCH_LOAD(name,
 * data), loaded by adding a <script> element, so search works from static
 * files alone and from file:// too. Nothing is loaded until the reader
 * starts a search.
 */
(function () {
  "use strict";

  var doc = document.documentElement;
  var root = doc.getAttribute("data-root") || "";
  var indexSuffix = doc.getAttribute("data-index") || "";

  /* ---------- Loading ---------- */

  /* Each file announces its name and the hash of its data; the manifest
   * gives the hash it expects, which also goes in the URL. A file whose
   * hash differs (one side cached from another build) is refused, and
   * the search is tried once more with the manifest loaded afresh. */
  var loaded = {};   // name -> { hash, data }
  var pending = {};  // name -> { hash, promise, resolve, reject }
  window.OPENBOOK_SEARCH_LOAD = function (name, hash, data) {
    loaded[name] = { hash: hash, data: data };
    var p = pending[name];
    if (!p) return;
    delete pending[name];
    if (p.hash === null || p.hash === hash) p.resolve(data);
    else p.reject(new Error("stale search file " + name));
  };
  function load(name, hash, src) {
    var have = loaded[name];
    if (have && (hash === null || have.hash === hash)) return Promise.resolve(have.data);
    var p = pending[name];
    if (p) {
      if (p.hash === hash) return p.promise;
      return p.promise.then(null, function () {}).then(function () { return load(name, hash, src); });
    }
    p = { hash: hash };
    p.promise = new Promise(function (resolve, reject) { p.resolve = resolve; p.reject = reject; });
    pending[name] = p;
    var s = document.createElement("script");
    s.src = src;
    s.async = true;
    s.onerror = function () {
      if (pending[name] === p) delete pending[name];
      s.remove();
      p.reject(new Error("cannot load " + src));
    };
    document.head.appendChild(s);
    return p.promise;
  }
  var manifest = null;
  function getManifest(fresh) {
    if (!manifest || fresh) {
      if (fresh) delete loaded.index;
      manifest = load("index", null, root + "search-index.js" + (fresh ? "?t=" + Date.now() : ""));
      manifest.catch(function () { manifest = null; });
    }
    return manifest;
  }
  /* A shard or fragment, from its manifest entry [first, name, hash]. */
  function file(entry) {
    return load(entry[1], entry[2], root + "search/" + entry[1] + ".js?v=" + entry[2]);
  }
  function data(entry) { return loaded[entry[1]].data; }

  /* ---------- Words ---------- */

  var wordChar = /[\p{Alphabetic}\p{N}]/u;

  /* Lowercase and fold `text` exactly as the build did (the manifest's
   * table says how each non-ASCII character folds). Returns the folded
   * string and, for each of its characters, the index in `text` it came
   * from. */
  function fold(text, table) {
    var out = "", from = [], i = 0;
    for (var ch of text) {
      var lower = ch.toLowerCase();
      for (var c of lower) {
        var f = c.charCodeAt(0) < 128 ? c : (table[c] || c);
        out += f;
        for (var k = 0; k < f.length; k++) from.push(i);
      }
      i += ch.length;
    }
    from.push(text.length);
    return { s: out, from: from };
  }

  function tokens(query, table) {
    var s = fold(query, table).s, out = [], cur = "";
    function push() {
      var n = Array.from(cur).length;
      if ((n >= 2 && n <= 40) || /^[0-9]$/.test(cur)) {
        if (out.indexOf(cur) < 0) out.push(cur);
      }
      cur = "";
    }
    for (var c of s) {
      if (wordChar.test(c)) cur += c; else if (cur) push();
    }
    if (cur) push();
    return out;
  }

  /* ---------- Query ---------- */

  var sortedKeys = new WeakMap();
  function keysOf(shard) {
    var k = sortedKeys.get(shard);
    if (!k) { k = Object.keys(shard).sort(); sortedKeys.set(shard, k); }
    return k;
  }

  function shardsFor(m, token) {
    var names = [];
    for (var i = 0; i < m.shards.length; i++) {
      var lo = m.shards[i][0];
      var hi = i + 1 < m.shards.length ? m.shards[i + 1][0] : null;
      if ((hi === null || hi > token) && lo <= token + "\uffff") names.push(m.shards[i]);
    }
    return names;
  }

  /* Sections matching one query word: the word itself, and (scored
   * lower) words that start with it. */
  function match(shards, token) {
    var scores = new Map(), common = true, any = false;
    shards.forEach(function (shard) {
      var keys = keysOf(shard);
      var lo = 0, hi = keys.length;
      while (lo < hi) { var mid = (lo + hi) >> 1; if (keys[mid] < token) lo = mid + 1; else hi = mid; }
      for (var i = lo, n = 0; i < keys.length && n < 100 && keys[i].lastIndexOf(token, 0) === 0; i++, n++) {
        var term = keys[i], list = shard[term], exact = term === token;
        var weight = exact ? 1 : 0.5;
        any = true;
        if (list[0] !== 1) common = false;
        if (exact && list[0] === 1) common = true;
        for (var j = 1, s = 0; j < list.length; j += 2) {
          s += list[j];
          var v = list[j + 1] * weight;
          if (!(scores.get(s) >= v)) scores.set(s, v);
        }
        if (exact && list[0] === 1) break;
      }
    });
    return { scores: scores, common: any && common, any: any };
  }

  /* The forms of a query word looked up: the word itself (and, through
   * prefixes, longer words), and for an English plural the singular
   * (`levels` also finds `level`). */
  function variants(w) {
    return w.length > 3 && /[^s]s$/.test(w) ? [w, w.slice(0, -1)] : [w];
  }

  /* Ranked [section, score] pairs for `query`. */
  function search(query) {
    return getManifest().then(function (m) {
      var words = tokens(query, m.fold);
      if (!words.length) return { words: words, hits: [], manifest: m };
      var needed = {};
      words.forEach(function (w) {
        variants(w).forEach(function (v) { shardsFor(m, v).forEach(function (e) { needed[e[1]] = e; }); });
      });
      return Promise.all(Object.keys(needed).map(function (n) { return file(needed[n]); })).then(function () {
        var matches = words.map(function (w) {
          var all = variants(w).map(function (v, i) {
            var x = match(shardsFor(m, v).map(data), v);
            if (i > 0) x.scores.forEach(function (score, s) { x.scores.set(s, score * 0.8); });
            return x;
          });
          var best = all[0];
          for (var i = 1; i < all.length; i++) {
            all[i].scores.forEach(function (score, s) {
              if (!(best.scores.get(s) >= score)) best.scores.set(s, score);
            });
            best.any = best.any || all[i].any;
            best.common = best.common && all[i].common;
          }
          return best;
        });
        if (matches.some(function (x) { return !x.any; })) return { words: words, hits: [], manifest: m };
        var required = matches.filter(function (x) { return !x.common; });
        if (!required.length) required = matches;
        required.sort(function (a, b) { return a.scores.size - b.scores.size; });
        var hits = [];
        required[0].scores.forEach(function (_, s) {
          for (var r = 1; r < required.length; r++) if (!required[r].scores.has(s)) return;
          var total = 0;
          matches.forEach(function (x) { total += x.scores.get(s) || 0; });
          hits.push([s, total]);
        });
        hits.sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; });
        return { words: words, hits: hits, manifest: m };
      });
    });
  }

  /* ---------- Results ---------- */

  var fragmentIndex = new WeakMap();
  function fragmentOf(m, section) {
    var f = m.fragments, lo = 0, hi = f.length - 1;
    while (lo < hi) { var mid = (lo + hi + 1) >> 1; if (f[mid][0] <= section) lo = mid; else hi = mid - 1; }
    return f[lo];
  }
  function sectionIn(fragment, first, section) {
    var list = fragmentIndex.get(fragment);
    if (!list) {
      list = [];
      fragment.forEach(function (p) {
        p[3].forEach(function (sec) { list.push({ page: p, sec: sec }); });
      });
      fragmentIndex.set(fragment, list);
    }
    return list[section - first];
  }

  /* The results `from` to `to` of a search, with their pages' details:
   * loads the fragments they are in. */
  function details(res, from, to) {
    var m = res.manifest;
    var picked = res.hits.slice(from, to).map(function (h) {
      return { section: h[0], fragment: fragmentOf(m, h[0]) };
    });
    var needed = {};
    picked.forEach(function (k) { needed[k.fragment[1]] = k.fragment; });
    return Promise.all(Object.keys(needed).map(function (n) { return file(needed[n]); })).then(function () {
      var out = [];
      picked.forEach(function (k) {
        var hit = sectionIn(data(k.fragment), k.fragment[0], k.section);
        if (!hit) return;
        out.push({
          url: hit.page[0], pageTitle: hit.page[1], chapter: hit.page[2],
          anchor: hit.sec[0], heading: hit.sec[1], text: hit.sec[2]
        });
      });
      return out;
    });
  }

  /* A search and the details of its first `count` results; if a file
   * cannot be loaded, once more with the manifest loaded afresh. */
  function lookup(query, count) {
    function attempt() {
      return search(query).then(function (res) {
        return details(res, 0, count).then(function (list) { return { res: res, list: list }; });
      });
    }
    return attempt().catch(function () {
      getManifest(true);
      return attempt();
    });
  }

  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  /* Find where query words start words of `text` (folded as the index
   * was), as [start, end) ranges in `text`. */
  function findWords(text, words, table) {
    var f = fold(text, table), s = f.s, out = [], forms = [];
    words.forEach(function (w) { variants(w).forEach(function (v) { if (forms.indexOf(v) < 0) forms.push(v); }); });
    forms.forEach(function (w) {
      var at = 0;
      while ((at = s.indexOf(w, at)) >= 0) {
        var before = at > 0 ? s.charAt(at - 1) : "";
        if (!before || !wordChar.test(before)) {
          var end = at + w.length;
          while (end < s.length && wordChar.test(s.charAt(end))) end++;
          out.push([f.from[at], f.from[Math.min(end, f.from.length - 1)]]);
        }
        at += w.length;
      }
    });
    out.sort(function (a, b) { return a[0] - b[0]; });
    return out;
  }

  function highlight(text, ranges) {
    var h = "", at = 0;
    ranges.forEach(function (r) {
      if (r[0] < at) return;
      h += escapeHtml(text.slice(at, r[0])) + "<mark>" + escapeHtml(text.slice(r[0], r[1])) + "</mark>";
      at = r[1];
    });
    return h + escapeHtml(text.slice(at));
  }

  /* About `size` characters of `text` around the first query word, with
   * every query word marked. */
  function excerpt(text, words, table, size) {
    var ranges = findWords(text, words, table);
    var start = 0;
    if (ranges.length && ranges[0][0] > size / 3) {
      start = ranges[0][0] - Math.floor(size / 3);
      var space = text.indexOf(" ", start);
      if (space >= 0 && space < ranges[0][0]) start = space + 1;
    }
    var end = Math.min(text.length, start + size);
    if (end < text.length) {
      var cut = text.lastIndexOf(" ", end);
      if (cut > start + size / 2) end = cut;
    }
    var part = text.slice(start, end);
    var shifted = [];
    ranges.forEach(function (r) {
      if (r[0] >= start && r[1] <= end) shifted.push([r[0] - start, r[1] - start]);
    });
    return (start > 0 ? "… " : "") + highlight(part, shifted) + (end < text.length ? " …" : "");
  }

  function resultHref(r) {
    var u = root + encodeURI(r.url) + (r.url === "" || /\/$/.test(r.url) ? indexSuffix : "");
    return r.anchor ? u + "#" + encodeURIComponent(r.anchor) : u;
  }

  function resultHtml(r, words, table) {
    var title = highlight(r.pageTitle, findWords(r.pageTitle, words, table));
    var heading = r.heading && r.heading !== r.pageTitle
      ? '<span class="search-result-heading"> › ' + highlight(r.heading, findWords(r.heading, words, table)) + "</span>"
      : "";
    return '<span class="search-result-title">' + title + heading + "</span>" +
      (r.chapter ? '<span class="search-result-chapter">' + escapeHtml(r.chapter) + "</span>" : "") +
      (r.text ? '<span class="search-result-excerpt">' + excerpt(r.text, words, table, 170) + "</span>" : "");
  }

  function plural(n, one, many) { return n + " " + (n === 1 ? one : many); }

  /* ---------- The header box ---------- */

  function initBox() {
    var input = document.getElementById("search-input");
    var popup = document.getElementById("search-popup");
    var form = input && input.form;
    if (!input || !popup || !form) return;
    // The search page has its own box; the header one then just goes there.
    if (document.getElementById("search-page-input")) return;
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-haspopup", "listbox");
    popup.setAttribute("role", "listbox");
    popup.setAttribute("aria-label", "Search results");
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    form.appendChild(status);
    var active = -1, options = [], seq = 0, timer = 0;

    function open(v) {
      popup.hidden = !v;
      input.setAttribute("aria-expanded", String(v));
      if (!v) setActive(-1);
    }
    function setActive(i) {
      options.forEach(function (o, k) { o.setAttribute("aria-selected", String(k === i)); });
      active = i;
      if (i >= 0 && options[i]) {
        input.setAttribute("aria-activedescendant", options[i].id);
        options[i].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }
    function message(text) {
      popup.innerHTML = '<p class="search-message">' + escapeHtml(text) + "</p>";
      options = [];
      active = -1;
      status.textContent = text;
      open(true);
    }
    function run() {
      var q = input.value.trim();
      var mine = ++seq;
      if (!q) { open(false); popup.innerHTML = ""; options = []; return; }
      lookup(q, 8).then(function (found) {
        var res = found.res, list = found.list;
        if (mine !== seq) return;
        if (!res.hits.length) { message("No results for “" + q + "”"); return; }
        var table = res.manifest.fold;
        var all = form.getAttribute("action") + (indexSuffix && !/index\.html$/.test(form.getAttribute("action")) ? indexSuffix : "") +
          "?q=" + encodeURIComponent(q);
        popup.innerHTML = list.map(function (r, i) {
          return '<a class="search-result" role="option" aria-selected="false" tabindex="-1" id="search-option-' + i +
            '" href="' + escapeHtml(resultHref(r)) + '">' + resultHtml(r, res.words, table) + "</a>";
        }).join("") +
          '<a class="search-all" role="option" aria-selected="false" tabindex="-1" id="search-option-all" href="' +
          escapeHtml(all) + '">See all ' + plural(res.hits.length, "result", "results") + "</a>";
        options = Array.prototype.slice.call(popup.querySelectorAll('[role="option"]'));
        active = -1;
        status.textContent = plural(res.hits.length, "result", "results") + ". Use the up and down arrows to choose one.";
        open(true);
      }).catch(function () {
        if (mine === seq) message("The search index could not be loaded.");
      });
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(run, 60);
    });
    input.addEventListener("focus", function () {
      getManifest().catch(function () { /* reported on search */ });
      if (input.value.trim() && popup.innerHTML) open(true);
    });
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        if (popup.hidden) { if (input.value.trim()) run(); return; }
        e.preventDefault();
        if (!options.length) return;
        var n = options.length;
        setActive(e.key === "ArrowDown" ? (active + 1) % n : (active <= 0 ? n - 1 : active - 1));
      } else if (e.key === "Enter") {
        if (active >= 0 && options[active] && !popup.hidden) {
          e.preventDefault();
          window.location.href = options[active].href;
        }
      } else if (e.key === "Escape") {
        // The first Esc closes the results; the next leaves the box (app.js).
        if (!popup.hidden) { e.preventDefault(); open(false); }
      }
    });
    form.addEventListener("focusout", function (e) {
      if (!e.relatedTarget || !form.contains(e.relatedTarget)) {
        setTimeout(function () { if (!form.contains(document.activeElement)) open(false); }, 150);
      }
    });
    popup.addEventListener("mousemove", function (e) {
      var o = e.target.closest('[role="option"]');
      if (o) setActive(options.indexOf(o));
    });
  }

  /* ---------- The search page ---------- */

  function initPage() {
    var input = document.getElementById("search-page-input");
    var list = document.getElementById("search-results");
    var status = document.getElementById("search-status");
    var more = document.getElementById("search-more");
    if (!input || !list || !status) return;
    var form = input.form;
    var PAGE = 20, res = null, shown = 0, seq = 0, timer = 0;
    var header = document.getElementById("search-input");
    if (header) {
      // On this page the header box searches here.
      header.addEventListener("focus", function () { input.focus(); });
    }
    function show(from, given) {
      var mine = seq;
      return (given ? Promise.resolve(given) : details(res, from, from + PAGE)).then(function (items) {
        if (mine !== seq) return;
        var table = res.manifest.fold;
        items.forEach(function (r) {
          var li = document.createElement("li");
          li.innerHTML = '<a class="search-result" href="' + escapeHtml(resultHref(r)) + '">' +
            resultHtml(r, res.words, table) + "</a>";
          list.appendChild(li);
        });
        shown = from + items.length;
        if (more) more.hidden = shown >= res.hits.length;
      });
    }
    function run(push) {
      var q = input.value.trim();
      var mine = ++seq;
      try {
        var u = new URL(window.location.href);
        if (q) u.searchParams.set("q", q); else u.searchParams.delete("q");
        history[push ? "pushState" : "replaceState"](null, "", u.href);
      } catch (e) { /* file:// in some browsers */ }
      list.innerHTML = "";
      if (more) more.hidden = true;
      if (!q) { status.textContent = "Type a word or two to search the book."; return; }
      status.textContent = "Searching…";
      lookup(q, PAGE).then(function (found) {
        if (mine !== seq) return;
        res = found.res;
        status.textContent = res.hits.length
          ? plural(res.hits.length, "result", "results") + " for “" + q + "”"
          : "No results for “" + q + "”. Try fewer or shorter words.";
        if (res.hits.length) show(0, found.list);
      }).catch(function () {
        if (mine === seq) status.textContent = "The search index could not be loaded.";
      });
    }
    form.addEventListener("submit", function (e) { e.preventDefault(); run(true); });
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { run(false); }, 120);
    });
    if (more) more.addEventListener("click", function () { show(shown); });
    // Arrow keys move between the input and the results.
    document.addEventListener("keydown", function (e) {
      if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
      var links = Array.prototype.slice.call(list.querySelectorAll("a"));
      var at = links.indexOf(document.activeElement);
      if (document.activeElement === input && e.key === "ArrowDown" && links.length) {
        e.preventDefault(); links[0].focus();
      } else if (at >= 0) {
        e.preventDefault();
        if (e.key === "ArrowDown" && at + 1 < links.length) links[at + 1].focus();
        else if (e.key === "ArrowUp") (at === 0 ? input : links[at - 1]).focus();
      }
    });
    var q = new URLSearchParams(window.location.search).get("q") || "";
    input.value = q;
    if (q) run(false); else status.textContent = "Type a word or two to search the book.";
  }

  function init() {
    initBox();
    initPage();
  }

  window.openbookSearch = { search: search, details: details, tokens: tokens };

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
