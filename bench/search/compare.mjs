// Compare search candidates on one book: openbook's own index, pagefind
// (npm) and elasticlunr (elasticlunr-rs builds the index, as in mdBook;
// elasticlunr.js searches it). For each: build cost, index size (all files,
// and gzipped), and the time to a first query's results in headless
// Chromium (a fresh browser context per query, so nothing is cached).
//
//   cd bench/search && npm ci
//   node compare.mjs --book /tmp/ob-10k --openbook ../../target/release/openbook [--work /tmp/search-bench]
//
// The book comes from bench/gen_corpus.py. The same sections are
// indexed by openbook and elasticlunr (exported from openbook's index);
// pagefind indexes the built HTML pages (its usual input).

import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import zlib from "node:zlib";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const book = opt("--book");
const openbook = path.resolve(opt("--openbook", path.join(here, "../../target/release/openbook")));
const work = opt("--work", "/tmp/search-bench");
const QUERIES = (opt("--queries", "autovacuum,query planner,isolation levels,pgbouncer,jsonb operators,replication slots,explain analyze,connection pool"))
  .split(",");
if (!book) {
  console.error("usage: node compare.mjs --book DIR [--openbook BIN] [--work DIR]");
  process.exit(2);
}
const site = path.join(work, "site");

function ms(t0) { return Number(process.hrtime.bigint() - t0) / 1e6; }
function sizeOf(files) {
  let raw = 0, gz = 0;
  for (const f of files) {
    const b = fs.readFileSync(f);
    raw += b.length;
    gz += zlib.gzipSync(b, { level: 6 }).length;
  }
  return { raw, gz, files: files.length };
}
function walk(dir) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p)); else out.push(p);
  }
  return out;
}
const mb = (n) => (n / 1e6).toFixed(2) + " MB";

// ---------- openbook ----------

fs.rmSync(work, { recursive: true, force: true });
fs.mkdirSync(work, { recursive: true });
console.error("building the book with openbook…");
const built = spawnSync(openbook, ["build", book, "--out", site, "--verbose"], { encoding: "utf8" });
if (built.status !== 0) { console.error(built.stderr); process.exit(1); }
const searchMs = Number((built.stdout + built.stderr).match(/search index ([\d.]+) ms/)[1]);
const obFiles = [path.join(site, "search-index.js"),
  ...fs.readdirSync(path.join(site, "search")).filter((f) => f.endsWith(".js")).map((f) => path.join(site, "search", f))];
const results = [{ name: "openbook (own index)", build: searchMs, size: sizeOf(obFiles) }];

// The same sections, for elasticlunr.
const docs = [];
globalThis.OPENBOOK_SEARCH_LOAD = (name, hash, data) => { globalThis.__loaded = data; };
const manifest = (() => { eval(fs.readFileSync(path.join(site, "search-index.js"), "utf8")); return globalThis.__loaded; })();
for (const [, name] of manifest.fragments) {
  eval(fs.readFileSync(path.join(site, "search", name + ".js"), "utf8"));
  for (const page of globalThis.__loaded) {
    for (const [anchor, heading, text] of page[3]) {
      docs.push([page[0] + (anchor ? "#" + anchor : ""), page[1] + (heading ? " › " + heading : ""), text]);
    }
  }
}
fs.writeFileSync(path.join(work, "docs.json"), JSON.stringify(docs));

// ---------- elasticlunr-rs ----------

console.error("building the elasticlunr index…");
const elManifest = path.join(here, "elasticlunr/Cargo.toml");
execFileSync("cargo", ["build", "--release", "--quiet", "--manifest-path", elManifest], {
  stdio: "inherit", env: { ...process.env, CARGO_TARGET_DIR: path.join(work, "..", "search-bench-target") },
});
const elBin = path.join(work, "..", "search-bench-target/release/elasticlunr-bench");
const elIndex = path.join(site, "elasticlunr-index.json");
const elMs = Number(execFileSync(elBin, [path.join(work, "docs.json"), elIndex], { encoding: "utf8" }).trim());
fs.mkdirSync(path.join(site, "bench"), { recursive: true });
fs.copyFileSync(path.join(here, "node_modules/elasticlunr/elasticlunr.min.js"), path.join(site, "bench/elasticlunr.min.js"));
results.push({ name: "elasticlunr (elasticlunr-rs + elasticlunr.js)", build: elMs, size: sizeOf([elIndex]) });

// ---------- pagefind ----------

console.error("building the pagefind index…");
let t0 = process.hrtime.bigint();
const pf = spawnSync(path.join(here, "node_modules/.bin/pagefind"), ["--site", site, "--output-subdir", "pagefind", "--root-selector", "main", "--quiet"], { encoding: "utf8" });
const pfMs = ms(t0);
if (pf.status !== 0) { console.error(pf.stdout, pf.stderr); process.exit(1); }
results.push({ name: "pagefind 1.6 (npm)", build: pfMs, size: sizeOf(walk(path.join(site, "pagefind"))) });

// ---------- first query in the browser ----------

fs.writeFileSync(path.join(site, "bench/index.html"), `<!doctype html>
<html data-root="/" data-index=""><head><meta charset="utf-8">
<script src="/assets/search.js"></script><script src="/bench/elasticlunr.min.js"></script></head><body></body></html>`);

const server = http.createServer((req, res) => {
  const rel = decodeURIComponent(new URL(req.url, "http://x").pathname);
  let file = path.join(site, path.normalize(rel));
  try {
    if (fs.statSync(file).isDirectory()) file = path.join(file, "index.html");
    const ext = path.extname(file);
    const type = { ".html": "text/html", ".js": "text/javascript", ".json": "application/json", ".css": "text/css" }[ext] || "application/octet-stream";
    res.writeHead(200, { "content-type": type });
    res.end(fs.readFileSync(file));
  } catch { res.writeHead(404); res.end(); }
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const base = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });

const engines = {
  "openbook (own index)": async (q) => {
    const r = await window.openbookSearch.search(q);
    const top = await window.openbookSearch.details(r, 0, 10);
    return [r.hits.length, top.map((t) => t.url + "#" + t.anchor)];
  },
  "elasticlunr (elasticlunr-rs + elasticlunr.js)": async (q) => {
    const json = await (await fetch("/elasticlunr-index.json")).json();
    const idx = window.elasticlunr.Index.load(json);
    const hits = idx.search(q, { bool: "AND", expand: true, fields: { title: { boost: 2 }, body: { boost: 1 } } });
    const top = hits.slice(0, 10).map((h) => idx.documentStore.getDoc(h.ref));
    return [hits.length, top.map((d) => d && d.id)];
  },
  "pagefind 1.6 (npm)": async (q) => {
    const pf = await import("/pagefind/pagefind.js");
    const s = await pf.search(q);
    const top = await Promise.all(s.results.slice(0, 10).map((r) => r.data()));
    return [s.results.length, top.map((d) => d.url)];
  },
};

for (const r of results) {
  const times = [], counts = [];
  for (const q of QUERIES) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(base + "/bench/");
    const [elapsed, [n], loadedBytes] = await page.evaluate(async ([src, q]) => {
      const fn = eval("(" + src + ")");
      const before = performance.getEntriesByType("resource").length;
      const t = performance.now();
      const out = await fn(q);
      const took = performance.now() - t;
      const bytes = performance.getEntriesByType("resource").slice(before)
        .reduce((sum, e) => sum + (e.encodedBodySize || 0), 0);
      return [took, out, bytes];
    }, [engines[r.name].toString(), q]);
    times.push(elapsed);
    (r.bytes = r.bytes || []).push(loadedBytes);
    counts.push(n);
    await context.close();
  }
  times.sort((a, b) => a - b);
  r.firstQuery = times[Math.floor(times.length / 2)];
  r.bytes.sort((a, b) => a - b);
  r.queryBytes = r.bytes[Math.floor(r.bytes.length / 2)];
  r.counts = counts;
}
await browser.close();
server.close();

const pages = manifest.pages;
console.log(`\nBook: ${book}, ${pages} pages, ${manifest.sections} sections. Queries: ${QUERIES.join(", ")}.\n`);
console.log("| candidate | build the index | index size (gzipped) | files | first query, median | loaded by it, median | results per query |");
console.log("| --- | --- | --- | --- | --- | --- | --- |");
for (const r of results) {
  console.log(`| ${r.name} | ${(r.build / 1000).toFixed(2)} s | ${mb(r.size.raw)} (${mb(r.size.gz)}) | ${r.size.files} | ${r.firstQuery.toFixed(0)} ms | ${mb(r.queryBytes)} | ${r.counts.join(", ")} |`);
}
