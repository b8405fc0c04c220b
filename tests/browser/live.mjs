// Live preview in a real headless Chromium: `openbook serve` must reload
// the open tab of an edited page and keep its scroll position, leave the
// tabs of other pages alone, show an error overlay for a broken edit and
// remove it when the edit is fixed.
//
//   node tests/browser/live.mjs --url http://127.0.0.1:PORT/ --page first-steps/hello/ \
//        --file /path/to/content/01-first-steps/01-hello.md --other first-steps/second/ \
//        [--chromium PATH]
//
// Run by `cargo test` (tests/cli/serve.rs), which starts the server.
// Prints one line per check; exits 1 if any failed.

import fs from "node:fs";
import { chromium } from "playwright-core";

const args = process.argv.slice(2);
function option(name) {
  const i = args.indexOf(name);
  return i < 0 ? null : args[i + 1];
}
const base = option("--url");
const page = option("--page");
const other = option("--other");
const file = option("--file");
const executablePath = option("--chromium") || "/usr/bin/chromium";

function assert(cond, message) { if (!cond) throw new Error(message); }

async function until(what, fn, ms = 10000) {
  const deadline = Date.now() + ms;
  for (;;) {
    try { if (await fn()) return; } catch { /* navigating */ }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const browser = await chromium.launch({
  executablePath,
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});
const offsite = [];
let failed = 0;
const original = fs.readFileSync(file, "utf8");
try {
  const context = await browser.newContext({ viewport: { width: 1200, height: 700 } });
  context.on("request", (r) => {
    if (!r.url().startsWith(base) && !r.url().startsWith(base.replace("http", "ws"))) offsite.push(r.url());
  });
  const tab = await context.newPage();
  const otherTab = await context.newPage();
  await tab.goto(base + page);
  await otherTab.goto(base + other);
  // Wait until the live-reload socket is open in both tabs.
  for (const t of [tab, otherTab]) {
    await until("the live-reload script", () => t.evaluate(() => !!window.openbookLive));
  }
  await new Promise((r) => setTimeout(r, 300));

  const checks = {
    "reload keeps the scroll position": async () => {
      await tab.evaluate(() => window.scrollTo(0, 900));
      await until("the scroll", () => tab.evaluate(() => Math.abs(window.scrollY - 900) < 2));
      await tab.evaluate(() => { window.__notReloaded = true; });
      await otherTab.evaluate(() => { window.__notReloaded = true; });
      const marker = "livemarker" + Date.now();
      fs.writeFileSync(file, fs.readFileSync(file, "utf8") + `\n\n${marker}\n`);
      await until("the edited page to reload with the change", () =>
        tab.evaluate((m) => !window.__notReloaded && document.body.innerText.includes(m), marker));
      await until("the scroll position to come back", () =>
        tab.evaluate(() => Math.abs(window.scrollY - 900) < 5), 3000);
    },
    "only the edited page's tab reloads": async () => {
      await new Promise((r) => setTimeout(r, 500));
      assert(await otherTab.evaluate(() => window.__notReloaded === true), "the other tab reloaded");
    },
    "a broken edit shows an overlay, fixing it removes it": async () => {
      fs.writeFileSync(file, original.replace(/^title: .*$/m, "title: [broken"));
      await until("the error overlay", () => tab.evaluate(() => !!document.getElementById("openbook-error-overlay")));
      const text = await tab.evaluate(() => document.getElementById("openbook-error-overlay").innerText);
      assert(/01-hello\.md:2:\d+/.test(text), `overlay without file and line: ${text}`);
      // The page under it is still the last good version.
      assert(await tab.evaluate(() => document.querySelector("h1") !== null), "the page is gone");
      fs.writeFileSync(file, original);
      await until("the overlay to go", () => tab.evaluate(() => !document.getElementById("openbook-error-overlay")));
    },
  };
  for (const [name, fn] of Object.entries(checks)) {
    try {
      await fn();
      console.log(`ok - ${name}`);
    } catch (e) {
      failed++;
      console.log(`not ok - ${name}: ${e.message}`);
    }
  }
  if (offsite.length) {
    failed++;
    console.log(`not ok - requests left the origin: ${offsite.join(", ")}`);
  } else {
    console.log("ok - no request left the origin");
  }
} finally {
  fs.writeFileSync(file, original);
  await browser.close();
}
process.exit(failed ? 1 : 0);
