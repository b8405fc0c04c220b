// The reader's side of a built book, checked in a real headless Chromium.
//
//   node tests/browser/run.mjs --site DIR [--offline DIR] [--chromium PATH] CHECK...
//   node tests/browser/run.mjs --site DIR --screenshots OUT   # only screenshots
//
// `cargo test` runs this (tests/cli/browser.rs) on the fixture book
// tests/sites/reader, built once normally (DIR, served here over HTTP on a
// loopback port) and once with --offline (opened from file://). Each CHECK
// names a group below. Every request the browser makes is recorded: one
// that leaves the origin fails the run (and is blocked, so nothing ever
// reaches the network).
//
// Prints one line per check and a closing "N passed, M failed"; exits 1 if
// anything failed.

import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const AXE = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

// ---------- arguments ----------

const args = process.argv.slice(2);
function option(name) {
  const i = args.indexOf(name);
  if (i < 0) return null;
  const v = args[i + 1];
  args.splice(i, 2);
  return v;
}
const siteDir = option("--site");
const offlineDir = option("--offline");
const executablePath = option("--chromium") || "/usr/bin/chromium";
const screenshots = option("--screenshots");
const wanted = args;
if (!siteDir) {
  console.error("usage: run.mjs --site DIR [--offline DIR] [--chromium PATH] CHECK...");
  process.exit(2);
}

// ---------- a tiny static server ----------

const TYPES = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8", ".svg": "image/svg+xml", ".xml": "application/xml",
  ".json": "application/json", ".txt": "text/plain; charset=utf-8",
};
function serve(dir) {
  const server = http.createServer((req, res) => {
    let rel;
    try { rel = decodeURIComponent(new URL(req.url, "http://x").pathname); } catch { rel = "/"; }
    let file = path.join(dir, path.normalize(rel));
    if (!file.startsWith(path.resolve(dir))) { res.writeHead(403); res.end(); return; }
    try {
      if (fs.statSync(file).isDirectory()) file = path.join(file, "index.html");
      const body = fs.readFileSync(file);
      res.writeHead(200, { "content-type": TYPES[path.extname(file)] || "application/octet-stream" });
      res.end(body);
    } catch {
      res.writeHead(404, { "content-type": "text/html; charset=utf-8" });
      res.end(fs.existsSync(path.join(dir, "404.html")) ? fs.readFileSync(path.join(dir, "404.html")) : "");
    }
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

// ---------- helpers ----------

function assert(cond, message) { if (!cond) throw new Error(message); }
function eq(actual, expected, what) {
  if (actual !== expected) throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

const offsite = [];
const pageErrors = [];
let browser;

/* A fresh browser context (its own localStorage) that records every
 * request and blocks any that leaves `origin`. */
async function newContext(origin, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith(origin) || url.startsWith("data:") || url.startsWith("blob:")) return route.continue();
    offsite.push(url);
    return route.abort();
  });
  context.on("page", (p) => {
    p.on("pageerror", (e) => pageErrors.push(`${p.url()}: ${e.message}`));
    p.on("console", (m) => {
      // Requests the tests block themselves are reported as failed loads.
      if (m.type() === "error" && !m.text().includes("net::ERR_FAILED")) pageErrors.push(`${p.url()}: console: ${m.text()}`);
    });
  });
  return context;
}

/* Search on the search page; returns the status line once it is about
 * `q` (and the results are listed). */
async function pageSearch(page, q) {
  await page.fill("#search-page-input", q);
  await page.waitForFunction((q) => {
    const s = document.getElementById("search-status").textContent;
    return s.includes("“" + q + "”") && (s.startsWith("No results") || document.querySelector("#search-results .search-result"));
  }, q, { timeout: 5000 });
  return page.locator("#search-status").innerText();
}

async function isRead(page, url) {
  return page.evaluate((u) => {
    const el = document.querySelector(`.toc-item[data-url="${u}"]`);
    return !!el && el.classList.contains("is-read");
  }, url);
}

// ---------- checks ----------

const checks = {};

checks["search box finds a word and opens its section"] = async (base) => {
  const context = await newContext(base);
  const page = await context.newPage();
  await page.goto(base + "basics/first/");
  await page.keyboard.press("/");
  eq(await page.evaluate(() => document.activeElement.id), "search-input", "`/` focuses the search box");
  await page.keyboard.type("zymurgy");
  const first = page.locator("#search-popup .search-result").first();
  await first.waitFor({ timeout: 5000 });
  const text = await first.innerText();
  assert(text.includes("Brewing vocabulary"), `result shows the page title: ${text}`);
  assert(text.includes("Fermentation vessels"), `result shows the section: ${text}`);
  assert(text.includes("2. Advanced"), `result shows the chapter: ${text}`);
  eq(await first.locator("mark").first().innerText(), "zymurgy", "the word is highlighted");
  eq(await page.getAttribute("#search-input", "aria-expanded"), "true", "combobox expanded");
  await page.keyboard.press("ArrowDown");
  eq(await page.getAttribute("#search-input", "aria-activedescendant"), "search-option-0", "ArrowDown selects the first result");
  await Promise.all([page.waitForURL(/advanced\/brewing\/#fermentation-vessels$/), page.keyboard.press("Enter")]);
  const inView = await page.evaluate(() => {
    const r = document.getElementById("fermentation-vessels").getBoundingClientRect();
    return r.top >= 0 && r.top < window.innerHeight / 2;
  });
  assert(inView, "the section's heading is at the top of the window");
  // Esc closes the popup, `s` focuses the box too.
  await page.keyboard.press("s");
  await page.keyboard.type("kegs");
  await page.locator("#search-popup .search-result").first().waitFor();
  await page.keyboard.press("Escape");
  assert(await page.locator("#search-popup").isHidden(), "Esc closes the results");
  await page.keyboard.press("Escape");
  assert(await page.evaluate(() => document.activeElement.id !== "search-input"), "a second Esc leaves the box");
  await context.close();
};

checks["search page: results, excerpts, folding, drafts, keyboard"] = async (base) => {
  const context = await newContext(base);
  const page = await context.newPage();
  await page.goto(base + "search/?q=carboy");
  const first = page.locator("#search-results .search-result").first();
  await first.waitFor({ timeout: 5000 });
  const href = await first.getAttribute("href");
  assert(/advanced\/brewing\/#fermentation-vessels$/.test(href), `links to the section: ${href}`);
  eq(await first.locator(".search-result-excerpt mark").first().innerText(), "carboy", "excerpt highlight");
  assert((await page.locator("#search-status").innerText()).includes("1 result"), "status counts the results");
  // Accents fold both ways.
  await pageSearch(page, "creme brulee");
  const marks = await page.locator("#search-results mark").allInnerTexts();
  assert(marks.includes("crème") && marks.includes("brûlée"), `accented words are found and marked: ${marks}`);
  // Prefix search.
  assert((await pageSearch(page, "fermen")).includes("1 result"), "a word's start finds it");
  assert((await pageSearch(page, "fermentations")).includes("1 result"), "a plural finds the singular");
  // Drafts are never indexed.
  assert((await pageSearch(page, "quidditchword")).startsWith("No results"), "drafts are not indexed");
  // Keyboard: Down from the box to the results, Enter opens one.
  await pageSearch(page, "check what you read");
  await page.focus("#search-page-input");
  await page.keyboard.press("ArrowDown");
  assert(await page.evaluate(() => document.activeElement.classList.contains("search-result")), "ArrowDown reaches the results");
  await Promise.all([page.waitForURL(/basics\/quiz\/$/), page.keyboard.press("Enter")]);
  await context.close();
};

checks["search page recovers from a stale cached index"] = async (base) => {
  // A manifest from an older build, as a browser cache may keep it: the
  // files it names no longer have the hashes it expects.
  const context = await newContext(base);
  const page = await context.newPage();
  const real = fs.readFileSync(path.join(siteDir, "search-index.js"), "utf8");
  const stale = real.replace(/"([tf]\d+)","[0-9a-f]{8}"/g, '"$1","00000000"');
  assert(stale !== real, "the manifest names its files' hashes");
  let staleServed = 0, freshLoads = 0;
  await page.route(/search-index\.js/, (route) => {
    if (route.request().url().includes("?t=")) { freshLoads++; return route.continue(); }
    staleServed++;
    return route.fulfill({ contentType: "text/javascript", body: stale });
  });
  await page.goto(base + "search/?q=zymurgy");
  await page.locator("#search-results .search-result").first().waitFor({ timeout: 5000 });
  eq(staleServed, 1, "the stale manifest was used first");
  eq(freshLoads, 1, "then one fresh manifest");
  await context.close();
};

checks["reading progress: end of page, mark as read, ticks, bars, reset"] = async (base) => {
  const context = await newContext(base);
  const page = await context.newPage();
  page.on("dialog", (d) => d.accept());
  await page.goto(base + "basics/long/");
  await page.waitForTimeout(1000);
  assert(!(await isRead(page, "basics/long/")), "a long page is not read when it opens");
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  await page.waitForFunction(() => !document.querySelector("[data-read-state]").hidden, null, { timeout: 5000 });
  await page.reload();
  assert(await isRead(page, "basics/long/"), "the page read is ticked in the sidebar after a reload");
  const count = await page.locator(".sidebar [data-progress=book] .progress-count").innerText();
  eq(count, "1 of 4 pages", "the book's progress");
  // "Mark as read" on another page.
  await page.goto(base + "basics/quiz/");
  const button = page.locator('[data-action="toggle-read"]');
  await button.click();
  eq(await button.getAttribute("aria-pressed"), "true", "the button is pressed");
  // Ticks on contents/ and progress on the chapter page.
  await page.goto(base + "contents/");
  const ticked = await page.$$eval(".contents-entry.is-read", (els) => els.map((e) => e.dataset.url));
  assert(ticked.includes("basics/long/") && ticked.includes("basics/quiz/"), `contents ticks: ${ticked}`);
  eq(await page.locator("main [data-progress=book] .progress-count").innerText(), "2 of 4 pages", "book progress on contents/");
  await page.goto(base + "basics/");
  eq(await page.locator("[data-progress=chapter] .progress-count").innerText(), "2 of 3 pages", "chapter progress");
  eq(await page.getAttribute("[data-progress=chapter] .progress-bar", "aria-valuenow"), "67", "chapter bar value");
  await page.goto(base);
  const card = await page.locator('[data-chapter-progress="basics/"]').innerText();
  eq(card, "2 of 3 read", "chapter card on the home page");
  eq(await page.locator("[data-continue]").innerText(), "Continue reading", "the home page offers to continue");
  // Reset.
  await page.goto(base + "contents/");
  await page.click('[data-action="reset-progress"]');
  eq(await page.locator(".contents-entry.is-read").count(), 0, "reset clears the ticks");
  await page.reload();
  eq(await page.locator(".contents-entry.is-read").count(), 0, "reset is stored");
  await context.close();
};

checks["quizzes: wrong then right, multiple answers, keyboard"] = async (base) => {
  const context = await newContext(base);
  const page = await context.newPage();
  await page.goto(base + "basics/quiz/");
  const q1 = page.locator("#quiz-1");
  assert(await q1.locator("details.quiz-answer").isHidden(), "the no-JS answer is hidden once enhanced");
  await q1.getByLabel("Venus").check();
  await q1.getByRole("button", { name: "Check answer" }).click();
  const fb = q1.locator(".quiz-feedback");
  assert((await fb.getAttribute("class")).includes("is-wrong"), "wrong answer marked wrong");
  assert((await fb.innerText()).includes("Not quite"), "wrong answer feedback");
  assert(await q1.getByLabel("Venus").isDisabled(), "choices locked after checking");
  assert(await q1.locator("details.quiz-answer").isVisible(), "a wrong answer offers the folded answer and explanation");
  await q1.locator("details.quiz-answer summary").click();
  assert((await q1.locator("details.quiz-answer").innerText()).includes("0.39 astronomical units"), "the explanation is in the offered answer");
  await q1.locator("details.quiz-answer summary").click();
  await q1.getByRole("button", { name: "Try again" }).focus();
  eq(await page.evaluate(() => document.activeElement.textContent), "Try again", "focus moves to Try again");
  await page.keyboard.press("Enter");
  assert(!(await q1.getByLabel("Venus").isChecked()), "retry clears the choice");
  // Keyboard only: the first radio has focus; Down selects the next; Enter checks.
  eq(await page.evaluate(() => document.activeElement.value), "0", "retry focuses the first choice");
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Enter");
  assert((await fb.getAttribute("class")).includes("is-right"), "right answer marked right");
  assert((await fb.innerText()).includes("0.39 astronomical units"), "the explanation is shown");
  assert(await q1.locator("details.quiz-answer").isHidden(), "a right answer folds the offered answer away");
  // Several answers.
  const q2 = page.locator("#quiz-2");
  await q2.getByLabel("2", { exact: true }).check();
  await q2.getByRole("button", { name: "Check answer" }).click();
  assert((await q2.locator(".quiz-feedback").getAttribute("class")).includes("is-wrong"), "half an answer is wrong");
  await q2.getByRole("button", { name: "Try again" }).click();
  await q2.getByLabel("2", { exact: true }).check();
  await q2.getByLabel("7", { exact: true }).check();
  await q2.getByRole("button", { name: "Check answer" }).click();
  assert((await q2.locator(".quiz-feedback").getAttribute("class")).includes("is-right"), "both answers are right");
  await context.close();
};

checks["theme: follows the system, toggle persists, no flash"] = async (base) => {
  const dark = await newContext(base, { colorScheme: "dark" });
  let page = await dark.newPage();
  await page.goto(base);
  eq(await page.getAttribute("html", "data-theme"), "dark", "a dark system gets the dark theme");
  await dark.close();
  const context = await newContext(base, { colorScheme: "light" });
  page = await context.newPage();
  await page.goto(base + "basics/first/");
  eq(await page.getAttribute("html", "data-theme"), "light", "a light system gets the light theme");
  await page.click(".theme-toggle");
  eq(await page.getAttribute("html", "data-theme"), "dark", "the toggle switches");
  eq(await page.getAttribute(".theme-toggle", "aria-pressed"), "true", "the toggle is pressed");
  // The choice holds on the next page, set before the first paint: with
  // app.js blocked, only the inline script in <head> can have set it.
  await page.route("**/app.js*", (r) => r.abort());
  await page.goto(base + "contents/");
  eq(await page.getAttribute("html", "data-theme"), "dark", "the stored theme is applied by the head script");
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  eq(bg, "rgb(21, 25, 30)", "the dark background is painted");
  await context.close();
};

checks["navigation: arrow keys, choices, collapsible chapters, mobile menu, copy"] = async (base) => {
  const context = await newContext(base, { permissions: ["clipboard-read", "clipboard-write"] });
  const page = await context.newPage();
  await page.goto(base + "basics/first/");
  await Promise.all([page.waitForURL(/basics\/quiz\/$/), page.keyboard.press("ArrowRight")]);
  await Promise.all([page.waitForURL(/basics\/first\/$/), page.keyboard.press("ArrowLeft")]);
  // Not while typing.
  await page.focus("#search-input");
  await page.keyboard.press("ArrowRight");
  await page.waitForTimeout(300);
  assert(/basics\/first\/$/.test(page.url()), "arrows in a text field do not change the page");
  await page.locator("#search-input").blur();
  // "What next?" choices are links to their targets.
  const choices = page.locator(".choice-card");
  eq(await choices.count(), 2, "two choice cards");
  await Promise.all([page.waitForURL(/advanced\/brewing\/#fermentation-vessels$/), choices.nth(1).click()]);
  // Collapsible chapters remember their state.
  await page.goto(base + "basics/first/");
  const advanced = page.locator('.toc-item[data-url="advanced/"]');
  assert(!(await advanced.evaluate((e) => e.classList.contains("is-open"))), "another chapter starts collapsed");
  await advanced.locator(".toc-toggle").click();
  assert(await advanced.locator('.toc-item[data-url="advanced/brewing/"]').isVisible(), "expanding shows its pages");
  await page.reload();
  assert(await page.locator('.toc-item[data-url="advanced/brewing/"]').isVisible(), "the chapter stays open after a reload");
  // Copy button.
  const copy = page.locator(".copy-button").first();
  await page.locator(".code-block").first().hover();
  await copy.click();
  await page.waitForFunction(() => document.querySelector(".copy-button").textContent === "Copied", null, { timeout: 3000 });
  eq(await page.evaluate(() => navigator.clipboard.readText()), 'print("hello, reader")', "the code is on the clipboard");
  // Phone width: the menu.
  await page.setViewportSize({ width: 390, height: 800 });
  assert(await page.locator(".sidebar").isHidden(), "the sidebar is hidden on a phone");
  await page.click(".menu-toggle");
  await page.waitForFunction(() => document.querySelector(".sidebar").getBoundingClientRect().left >= 0);
  assert(await page.locator(".sidebar").isVisible(), "the menu opens the sidebar");
  eq(await page.getAttribute(".menu-toggle", "aria-expanded"), "true", "menu button expanded");
  await page.keyboard.press("Escape");
  eq(await page.getAttribute(".menu-toggle", "aria-expanded"), "false", "Esc closes the menu");
  // The search results fit a phone's screen.
  await page.fill("#search-input", "brewing");
  await page.locator("#search-popup .search-result").first().waitFor();
  const box = await page.locator("#search-popup").boundingBox();
  assert(box.x >= 0 && box.x + box.width <= 390, `the results fit the screen: ${JSON.stringify(box)}`);
  await context.close();
};

const AXE_PAGES = [
  ["home", ""], ["chapter", "basics/"], ["quiz page", "basics/quiz/"], ["page with code", "basics/first/"],
  ["search page", "search/?q=brewing"], ["contents", "contents/"], ["resources", "resources/"],
];

checks["accessibility: axe-core finds no serious or critical violation"] = async (base) => {
  const problems = [];
  for (const scheme of ["light", "dark"]) {
    const context = await newContext(base, { colorScheme: scheme });
    const page = await context.newPage();
    for (const [name, url] of AXE_PAGES) {
      await page.goto(base + url);
      if (url.startsWith("search/")) await page.locator("#search-results .search-result").first().waitFor();
      if (url === "basics/quiz/") {
        // Also the quiz's feedback state.
        await page.locator("#quiz-1").getByLabel("Venus").check();
        await page.locator("#quiz-1").getByRole("button", { name: "Check answer" }).click();
      }
      await page.addScriptTag({ content: AXE });
      const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
      for (const v of result.violations) {
        if (v.impact === "serious" || v.impact === "critical") {
          problems.push(`${name} (${scheme}): ${v.id} (${v.impact}): ${v.help}\n      ` +
            v.nodes.slice(0, 3).map((n) => n.target.join(" ") + " " + (n.failureSummary || "").split("\n").join(" ")).join("\n      "));
        }
      }
    }
    // The open search popup too.
    await page.goto(base + "basics/first/");
    await page.fill("#search-input", "brewing");
    await page.locator("#search-popup .search-result").first().waitFor();
    await page.keyboard.press("ArrowDown");
    await page.addScriptTag({ content: AXE });
    const popup = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
    for (const v of popup.violations) {
      if (v.impact === "serious" || v.impact === "critical") {
        problems.push(`search popup (${scheme}): ${v.id}: ${v.help}\n      ` +
          v.nodes.slice(0, 3).map((n) => n.target.join(" ") + " " + (n.failureSummary || "").split("\n").join(" ")).join("\n      "));
      }
    }
    await context.close();
  }
  assert(!problems.length, "violations:\n    " + problems.join("\n    "));
};

checks["focus is visible on every control"] = async (base) => {
  const context = await newContext(base);
  const page = await context.newPage();
  const missing = [];
  for (const url of ["basics/quiz/", "basics/first/", "", "search/?q=brewing", "resources/"]) {
    await page.goto(base + url);
    if (url.startsWith("search/")) await page.locator("#search-results .search-result").first().waitFor();
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press("Tab");
      const info = await page.evaluate(() => {
        const el = document.activeElement;
        if (!el || el === document.body) return null;
        const s = getComputedStyle(el);
        const label = el.tagName + (el.className ? "." + String(el.className).split(" ")[0] : "") + " " + (el.textContent || el.value || "").trim().slice(0, 30);
        const visible = (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== "none";
        // A radio's or a chip's ring is drawn on its label.
        const ring = el.closest(".quiz-choice, .chip");
        const ringed = ring && getComputedStyle(ring).outlineStyle !== "none";
        return { label, visible: visible || !!ringed };
      });
      if (info && !info.visible) missing.push(`${url || "home"}: ${info.label}`);
    }
  }
  assert(!missing.length, "no visible focus on: " + [...new Set(missing)].join(", "));
  await context.close();
};

checks["offline build: search and navigation from file://"] = async (_base) => {
  assert(offlineDir, "needs --offline DIR");
  const origin = "file://";
  const context = await newContext(origin);
  const page = await context.newPage();
  await page.goto(pathToFileURL(path.join(offlineDir, "basics/first/index.html")).href);
  await page.keyboard.press("/");
  await page.keyboard.type("zymurgy");
  await page.locator("#search-popup .search-result").first().waitFor({ timeout: 5000 });
  await page.keyboard.press("ArrowDown");
  await Promise.all([page.waitForURL(/advanced\/brewing\/index\.html#fermentation-vessels$/), page.keyboard.press("Enter")]);
  await Promise.all([page.waitForURL(/advanced\/index\.html$/), page.keyboard.press("ArrowLeft")]);
  // "See all" leads to the search page, which reads ?q= from a file: URL.
  await page.keyboard.press("/");
  await page.keyboard.type("kegs");
  await page.locator("#search-popup .search-all").waitFor({ timeout: 5000 });
  await Promise.all([page.waitForURL(/search\/index\.html\?q=kegs$/), page.click("#search-popup .search-all")]);
  await page.locator("#search-results .search-result").first().waitFor({ timeout: 5000 });
  await page.goto(pathToFileURL(path.join(offlineDir, "search/index.html")).href + "?q=kegs");
  const first = page.locator("#search-results .search-result").first();
  await first.waitFor({ timeout: 5000 });
  assert(/advanced\/brewing\/index\.html#kegs-and-casks$/.test(await first.getAttribute("href")), "offline result link");
  await context.close();
};

// ---------- screenshots (not a check: for looking at the result) ----------

async function takeScreenshots(base, dir) {
  fs.mkdirSync(dir, { recursive: true });
  const shots = [["home", ""], ["chapter", "basics/"], ["quiz", "basics/quiz/"], ["search", "search/?q=brewing"],
    ["resources", "resources/"], ["page", "advanced/brewing/"]];
  for (const scheme of ["light", "dark"]) {
    for (const [w, h, tag] of [[1400, 1000, "desktop"], [390, 844, "phone"]]) {
      const context = await newContext(base, { colorScheme: scheme, viewport: { width: w, height: h }, deviceScaleFactor: 1 });
      const page = await context.newPage();
      for (const [name, url] of shots) {
        await page.goto(base + url);
        if (name === "search") await page.locator("#search-results .search-result").first().waitFor();
        if (name === "quiz") {
          await page.locator("#quiz-1").getByLabel("Mercury").check();
          await page.locator("#quiz-1").getByRole("button", { name: "Check answer" }).click();
        }
        await page.screenshot({ path: path.join(dir, `${name}-${tag}-${scheme}.png`) });
      }
      if (tag === "desktop") {
        await page.goto(base + "basics/first/");
        await page.fill("#search-input", "brewing");
        await page.locator("#search-popup .search-result").first().waitFor();
        await page.keyboard.press("ArrowDown");
        await page.screenshot({ path: path.join(dir, `popup-${tag}-${scheme}.png`) });
      } else {
        await page.goto(base + "basics/first/");
        await page.click(".menu-toggle");
        await page.waitForTimeout(400);
        await page.screenshot({ path: path.join(dir, `menu-${tag}-${scheme}.png`) });
      }
      await context.close();
    }
  }
}

// ---------- run ----------

const server = await serve(siteDir);
const base = `http://127.0.0.1:${server.address().port}/`;
browser = await chromium.launch({
  executablePath,
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});
let passed = 0, failed = 0;
try {
  if (screenshots) await takeScreenshots(base, screenshots);
  const names = screenshots && !wanted.length ? [] : wanted.length ? Object.keys(checks).filter((n) => wanted.some((w) => n.startsWith(w))) : Object.keys(checks);
  if (wanted.length && !names.length) throw new Error(`no check matches ${wanted.join(", ")}`);
  for (const name of names) {
    const started = Date.now();
    try {
      await checks[name](base);
      passed++;
      console.log(`ok - ${name} (${Date.now() - started} ms)`);
    } catch (e) {
      failed++;
      console.log(`not ok - ${name}\n    ${String(e.message || e).split("\n").join("\n    ")}`);
    }
  }
  if (offsite.length) {
    failed++;
    console.log(`not ok - requests left the origin:\n    ${[...new Set(offsite)].join("\n    ")}`);
  } else {
    passed++;
    console.log("ok - no request left the origin");
  }
  if (pageErrors.length) {
    failed++;
    console.log(`not ok - script errors:\n    ${[...new Set(pageErrors)].join("\n    ")}`);
  }
} finally {
  await browser.close();
  server.close();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
