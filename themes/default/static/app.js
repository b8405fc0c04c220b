/* openbook reader script: theme, navigation, reading progress, quizzes,
 * copy buttons and keyboard shortcuts. Everything here is an enhancement:
 * without JavaScript every page still reads, links and lists its choices.
 *
 * State lives in localStorage under keys namespaced by the book's base URL
 * ("openbook:<base>:<name>"), so two books on one host never mix.
 */
(function () {
  "use strict";

  var doc = document.documentElement;
  var book = doc.getAttribute("data-book") || "/";
  var root = doc.getAttribute("data-root") || "";
  var pageUrl = doc.getAttribute("data-page-url") || "";
  var indexSuffix = doc.getAttribute("data-index") || "";

  function key(name) { return "openbook:" + book + ":" + name; }
  function load(name, fallback) {
    try {
      var v = localStorage.getItem(key(name));
      return v === null ? fallback : JSON.parse(v);
    } catch (e) { return fallback; }
  }
  function save(name, value) {
    try { localStorage.setItem(key(name), JSON.stringify(value)); } catch (e) { /* private mode */ }
  }
  function $(sel, el) { return (el || document).querySelector(sel); }
  function $all(sel, el) { return Array.prototype.slice.call((el || document).querySelectorAll(sel)); }
  function href(url) { return root + encodeURI(url) + (url === "" || /\/$/.test(url) ? indexSuffix : ""); }
  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  /* ---------- Theme ---------- */

  function setTheme(t, remember) {
    doc.setAttribute("data-theme", t);
    var b = $(".theme-toggle");
    if (b) {
      b.setAttribute("aria-pressed", String(t === "dark"));
    }
    if (remember) {
      try { localStorage.setItem(key("theme"), t); } catch (e) { /* ignore */ }
    }
  }
  function initTheme() {
    var b = $(".theme-toggle");
    if (!b) return;
    b.setAttribute("aria-pressed", String(doc.getAttribute("data-theme") === "dark"));
    b.addEventListener("click", function () {
      setTheme(doc.getAttribute("data-theme") === "dark" ? "light" : "dark", true);
    });
    if (window.matchMedia) {
      window.matchMedia("(prefers-color-scheme: dark)").addEventListener("change", function (e) {
        var stored = null;
        try { stored = localStorage.getItem(key("theme")); } catch (err) { /* ignore */ }
        if (!stored) setTheme(e.matches ? "dark" : "light", false);
      });
    }
  }

  /* ---------- Table of contents ---------- */

  var toc = window.OPENBOOK_TOC || [];
  var nodes = toc.map(function (r, i) {
    return { i: i, url: r[0], title: r[1], number: r[2], parent: r[3], kind: r[4], children: [] };
  });
  nodes.forEach(function (n) { if (n.parent >= 0) nodes[n.parent].children.push(n); });
  var byUrl = {};
  nodes.forEach(function (n) { byUrl[n.url] = n; });

  function pagesUnder(n) {
    var out = [];
    (function walk(m) {
      if (m.kind === "p") out.push(m.url);
      m.children.forEach(walk);
    })(n);
    return out;
  }

  function onPath(n) {
    var cur = byUrl[pageUrl];
    while (cur) {
      if (cur === n) return true;
      cur = cur.parent >= 0 ? nodes[cur.parent] : null;
    }
    return false;
  }

  var openState = load("open", {});

  function renderTree(list) {
    var ol = document.createElement("ol");
    list.forEach(function (n) {
      var li = document.createElement("li");
      var chapter = n.kind === "c";
      li.className = "toc-item" + (chapter ? " toc-chapter" : "");
      li.setAttribute("data-url", n.url);
      var open = chapter && (n.url in openState ? openState[n.url] : onPath(n));
      if (open) li.classList.add("is-open");
      var row = document.createElement("div");
      row.className = "toc-row";
      row.innerHTML = '<a href="' + escapeHtml(href(n.url)) + '"' +
        (n.url === pageUrl ? ' aria-current="page"' : "") + '><span class="toc-num">' +
        escapeHtml(n.number) + '</span> <span class="toc-label">' + escapeHtml(n.title) + "</span></a>";
      li.appendChild(row);
      if (chapter && n.children.length) {
        var btn = document.createElement("button");
        btn.type = "button";
        btn.className = "toc-toggle";
        btn.setAttribute("aria-expanded", String(!!open));
        btn.setAttribute("aria-label", (open ? "Collapse " : "Expand ") + n.title);
        btn.innerHTML = '<svg aria-hidden="true" viewBox="0 0 24 24" width="14" height="14"><path d="M9 6l6 6-6 6" stroke="currentColor" stroke-width="2.4" fill="none" stroke-linecap="round" stroke-linejoin="round"/></svg>';
        row.appendChild(btn);
        var bar = document.createElement("span");
        bar.className = "toc-chapter-progress";
        bar.setAttribute("data-chapter-progress-bar", n.url);
        bar.hidden = true;
        bar.innerHTML = "<span></span>";
        li.appendChild(bar);
        // A closed chapter's pages are added when it is first opened, so a
        // book of thousands of pages costs little on every page view.
        var children = null;
        var fill = function () {
          if (children) return false;
          children = renderTree(n.children);
          li.appendChild(children);
          return true;
        };
        if (open) fill();
        btn.addEventListener("click", function () {
          var nowOpen = !li.classList.contains("is-open");
          var added = nowOpen && fill();
          li.classList.toggle("is-open", nowOpen);
          btn.setAttribute("aria-expanded", String(nowOpen));
          btn.setAttribute("aria-label", (nowOpen ? "Collapse " : "Expand ") + n.title);
          openState[n.url] = nowOpen;
          save("open", openState);
          if (added) showProgress();
        });
      }
      ol.appendChild(li);
    });
    return ol;
  }

  function initSidebar() {
    var old = $(".toc-tree");
    if (!old || !nodes.length) return;
    var tree = renderTree(nodes[0].children);
    tree.className = "toc-tree";
    tree.setAttribute("data-complete", "true");
    old.parentNode.replaceChild(tree, old);
    var current = $('.toc-tree [aria-current="page"]');
    var sidebar = $(".sidebar");
    if (current && sidebar) {
      var r = current.getBoundingClientRect();
      if (r.bottom > window.innerHeight - 40) {
        sidebar.scrollTop += r.top - window.innerHeight / 3;
      }
    }
  }

  /* ---------- Mobile menu ---------- */

  function initMenu() {
    var btn = $(".menu-toggle"), sidebar = $(".sidebar"), backdrop = $(".sidebar-backdrop");
    if (!btn || !sidebar) return;
    function set(open) {
      sidebar.classList.toggle("is-open", open);
      btn.setAttribute("aria-expanded", String(open));
      if (backdrop) backdrop.hidden = !open;
      if (open) {
        var a = $('[aria-current="page"]', sidebar) || $("a", sidebar);
        if (a) a.focus();
      }
    }
    btn.addEventListener("click", function () { set(!sidebar.classList.contains("is-open")); });
    if (backdrop) backdrop.addEventListener("click", function () { set(false); });
    document.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && sidebar.classList.contains("is-open")) { set(false); btn.focus(); }
    });
  }

  /* ---------- Reading progress ---------- */

  var read = load("read", []);
  var readSet = {};
  read.forEach(function (u) { readSet[u] = true; });

  function isPage(url) { var n = byUrl[url]; return n && n.kind === "p"; }

  function setRead(url, value) {
    if (!!readSet[url] === value) return;
    if (value) readSet[url] = true; else delete readSet[url];
    save("read", Object.keys(readSet));
    showProgress();
  }

  function bar(el, done, total) {
    if (!el) return;
    var pct = total ? Math.round((100 * done) / total) : 0;
    var pb = $(".progress-bar", el);
    if (pb) {
      pb.setAttribute("aria-valuenow", String(pct));
      pb.firstElementChild.style.width = pct + "%";
    }
    var c = $(".progress-count", el);
    if (c) c.textContent = done + " of " + total + " pages";
    el.hidden = false;
  }

  function showProgress() {
    if (!nodes.length) return;
    var all = pagesUnder(nodes[0]);
    var done = all.filter(function (u) { return readSet[u]; }).length;
    $all('[data-progress="book"]').forEach(function (el) { bar(el, done, all.length); });
    $all('[data-progress="chapter"]').forEach(function (el) {
      var n = byUrl[el.getAttribute("data-chapter-url")];
      if (!n) return;
      var ps = pagesUnder(n);
      bar(el, ps.filter(function (u) { return readSet[u]; }).length, ps.length);
    });
    $all("[data-chapter-progress-bar]").forEach(function (el) {
      var n = byUrl[el.getAttribute("data-chapter-progress-bar")];
      if (!n) return;
      var ps = pagesUnder(n);
      var d = ps.filter(function (u) { return readSet[u]; }).length;
      el.hidden = d === 0;
      el.firstElementChild.style.width = (ps.length ? (100 * d) / ps.length : 0) + "%";
      el.title = d + " of " + ps.length + " pages read";
    });
    $all("[data-chapter-progress]").forEach(function (el) {
      var n = byUrl[el.getAttribute("data-chapter-progress")];
      if (!n) return;
      var ps = pagesUnder(n);
      var d = ps.filter(function (u) { return readSet[u]; }).length;
      el.textContent = d ? (d === ps.length ? "✓ Read" : d + " of " + ps.length + " read") : "";
    });
    $all(".toc-item, .contents-entry, .child-card").forEach(function (el) {
      var u = el.getAttribute("data-url");
      if (u === null) return;
      var n = byUrl[u];
      var v = false;
      if (n && n.kind === "p") v = !!readSet[u];
      else if (n && n.kind === "c") {
        var ps = pagesUnder(n);
        v = ps.length > 0 && ps.every(function (p) { return readSet[p]; });
      }
      el.classList.toggle("is-read", v);
    });
    var state = $("[data-read-state]");
    if (state) state.hidden = !readSet[pageUrl];
    var btn = $('[data-action="toggle-read"]');
    if (btn) {
      btn.setAttribute("aria-pressed", String(!!readSet[pageUrl]));
      btn.textContent = readSet[pageUrl] ? "✓ Read · mark as unread" : "Mark as read";
    }
  }

  function initProgress() {
    if (!nodes.length) return;
    var mark = $("[data-mark-read]");
    if (mark && isPage(pageUrl)) {
      mark.hidden = false;
      $('[data-action="toggle-read"]', mark).addEventListener("click", function () {
        setRead(pageUrl, !readSet[pageUrl]);
      });
      // Reaching the end of the page counts as reading it.
      var end = $(".pager") || mark;
      if ("IntersectionObserver" in window) {
        var seen = false;
        var io = new IntersectionObserver(function (entries) {
          entries.forEach(function (en) {
            if (en.isIntersecting && !seen) {
              seen = true;
              setRead(pageUrl, true);
              io.disconnect();
            }
          });
        });
        // Only after the reader has had a chance to scroll: a very short
        // page is read when it is opened and its end is in view.
        setTimeout(function () { io.observe(end); }, 600);
      }
    }
    var reset = $('[data-action="reset-progress"]');
    if (reset) {
      reset.parentNode.hidden = false;
      reset.addEventListener("click", function () {
        if (window.confirm("Forget which pages you have read?")) {
          readSet = {};
          save("read", []);
          showProgress();
        }
      });
    }
    var cont = $("[data-continue]");
    if (cont) {
      var firstUnread = pagesUnder(nodes[0]).filter(function (u) { return !readSet[u]; })[0];
      if (Object.keys(readSet).length && firstUnread) {
        cont.textContent = "Continue reading";
        cont.setAttribute("href", href(firstUnread));
      }
    }
    showProgress();
  }

  /* ---------- Quizzes ---------- */

  function initQuizzes() {
    $all(".quiz").forEach(function (quiz) {
      var form = $(".quiz-form", quiz);
      var actions = $(".quiz-actions", quiz);
      var check = $(".quiz-check", quiz);
      var retry = $(".quiz-retry", quiz);
      var feedback = $(".quiz-feedback", quiz);
      if (!form || !actions || !check || !retry || !feedback) return;
      var answers = (quiz.getAttribute("data-answers") || "").split(" ").filter(Boolean);
      var explanation = $(".quiz-explanation", quiz);
      var inputs = $all("input", form);
      quiz.classList.add("is-enhanced");
      actions.hidden = false;
      function reset() {
        inputs.forEach(function (i) {
          i.checked = false;
          i.disabled = false;
          i.closest(".quiz-choice").classList.remove("is-right", "is-wrong");
        });
        feedback.textContent = "";
        feedback.className = "quiz-feedback";
        quiz.classList.remove("offer-answer");
        check.hidden = false;
        retry.hidden = true;
        if (inputs[0]) inputs[0].focus();
      }
      form.addEventListener("submit", function (e) {
        e.preventDefault();
        var chosen = inputs.filter(function (i) { return i.checked; }).map(function (i) { return i.value; });
        if (!chosen.length) {
          feedback.className = "quiz-feedback";
          feedback.textContent = "Choose an answer first.";
          return;
        }
        var right = chosen.length === answers.length && chosen.every(function (v) { return answers.indexOf(v) >= 0; });
        inputs.forEach(function (i) {
          var label = i.closest(".quiz-choice");
          if (i.checked) label.classList.add(answers.indexOf(i.value) >= 0 ? "is-right" : "is-wrong");
          if (right && answers.indexOf(i.value) >= 0) label.classList.add("is-right");
          i.disabled = true;
        });
        feedback.className = "quiz-feedback " + (right ? "is-right" : "is-wrong");
        feedback.innerHTML = (right ? "✓ Right." : "✗ Not quite.") +
          (right && explanation ? '<span class="quiz-explanation-text">' + explanation.innerHTML + "</span>" : "") +
          (!right ? '<span class="quiz-explanation-text">Think it over and try again, or open the answer below.</span>' : "");
        // After a wrong answer the folded answer and its explanation are
        // offered, for a reader who would rather learn than guess again.
        quiz.classList.toggle("offer-answer", !right);
        check.hidden = true;
        retry.hidden = false;
        retry.focus();
      });
      retry.addEventListener("click", reset);
    });
  }

  /* ---------- Code copy buttons ---------- */

  function initCopy() {
    $all(".code-block").forEach(function (block) {
      var code = $("pre.code code", block);
      if (!code) return;
      var b = document.createElement("button");
      b.type = "button";
      b.className = "copy-button";
      b.textContent = "Copy";
      b.setAttribute("aria-label", "Copy code to the clipboard");
      b.addEventListener("click", function () {
        var text = code.innerText.replace(/\n$/, "");
        function done() {
          b.textContent = "Copied";
          b.classList.add("copied");
          setTimeout(function () { b.textContent = "Copy"; b.classList.remove("copied"); }, 1600);
        }
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(text).then(done, function () { fallbackCopy(text); done(); });
        } else { fallbackCopy(text); done(); }
      });
      block.appendChild(b);
    });
  }
  /* A box that scrolls sideways (long code, wide tables) must be reachable
   * from the keyboard to be scrolled. */
  function initScrollers() {
    $all("pre.code, .table-wrap, .sql-result").forEach(function (el) {
      if (el.scrollWidth > el.clientWidth + 1 && !el.hasAttribute("tabindex")) {
        el.setAttribute("tabindex", "0");
      }
    });
  }
  function fallbackCopy(text) {
    var t = document.createElement("textarea");
    t.value = text;
    t.setAttribute("readonly", "");
    t.style.position = "fixed";
    t.style.opacity = "0";
    document.body.appendChild(t);
    t.select();
    try { document.execCommand("copy"); } catch (e) { /* ignore */ }
    document.body.removeChild(t);
  }

  /* ---------- Keyboard ---------- */

  function typing(el) {
    if (!el) return false;
    var tag = el.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || el.isContentEditable;
  }
  function initKeys() {
    document.addEventListener("keydown", function (e) {
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return;
      var active = document.activeElement;
      if (e.key === "Escape" && active && active.id === "search-input") {
        active.blur();
        return;
      }
      if (typing(active)) return;
      if (e.key === "ArrowLeft" || e.key === "ArrowRight") {
        if (e.shiftKey) return;
        var link = $(e.key === "ArrowLeft" ? 'a[rel="prev"]' : 'a[rel="next"]');
        if (link) { e.preventDefault(); window.location.href = link.href; }
      } else if (e.key === "/" || e.key === "s" || e.key === "S") {
        var input = $("#search-page-input") || $("#search-input");
        if (input) { e.preventDefault(); input.focus(); input.select(); }
      }
    });
  }

  /* ---------- "On this page" highlight ---------- */

  function initOutline() {
    var links = $all(".outline a");
    if (!links.length || !("IntersectionObserver" in window)) return;
    var byId = {};
    links.forEach(function (a) { byId[decodeURIComponent(a.getAttribute("href").slice(1))] = a; });
    var heads = Object.keys(byId).map(function (id) { return document.getElementById(id); }).filter(Boolean);
    var visible = {};
    var io = new IntersectionObserver(function (entries) {
      entries.forEach(function (en) { visible[en.target.id] = en.isIntersecting; });
      var firstVisible = heads.filter(function (h) { return visible[h.id]; })[0];
      if (!firstVisible) return;
      links.forEach(function (a) { a.classList.remove("is-active"); });
      byId[firstVisible.id].classList.add("is-active");
    }, { rootMargin: "-10% 0px -60% 0px" });
    heads.forEach(function (h) { io.observe(h); });
  }

  /* ---------- Resources filter ---------- */

  function initResourceFilters() {
    var form = $("[data-resource-filters]");
    if (!form) return;
    form.hidden = false;
    var cards = $all(".resource-card[data-kind]");
    var status = $(".filter-status", form);
    function apply() {
      var kind = (form.querySelector('input[name="kind"]:checked') || {}).value || "";
      var level = form.elements.level.value;
      var tag = form.elements.tag.value;
      var shown = 0;
      cards.forEach(function (c) {
        var ok = (!kind || c.getAttribute("data-kind") === kind) &&
          (!level || c.getAttribute("data-level") === level) &&
          (!tag || (" " + c.getAttribute("data-tags") + " ").indexOf(" " + tag + " ") >= 0);
        c.hidden = !ok;
        if (ok) shown++;
      });
      $all("[data-kind-group]").forEach(function (g) {
        g.hidden = !$all(".resource-card", g).some(function (c) { return !c.hidden; });
      });
      var noun = cards.length === 1 ? " resource" : " resources";
      status.textContent = shown === cards.length ? "Showing all " + shown + noun : "Showing " + shown + " of " + cards.length + noun;
    }
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    apply();
  }

  function initPrint() {
    var b = $('[data-action="print"]');
    if (!b) return;
    b.hidden = false;
    b.addEventListener("click", function () { window.print(); });
  }

  function init() {
    initTheme();
    initSidebar();
    initMenu();
    initProgress();
    initQuizzes();
    initCopy();
    initScrollers();
    initKeys();
    initOutline();
    initResourceFilters();
    initPrint();
    document.dispatchEvent(new CustomEvent("openbook:ready"));
  }

  window.openbook = { href: href, load: load, save: save, key: key, escapeHtml: escapeHtml, nodes: nodes, byUrl: byUrl };

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
