#!/usr/bin/env python3
"""Bytes per page of a built book, to check that a page's HTML does not
grow with the size of the book (the README's "Page size" section).

    python3 bench/page_bytes.py --openbook target/release/openbook \
        [--pages 40,10000] [--gen bench/gen_corpus.py] [--book SITE-DIR ...]

For each size, generates the synthetic book with bench/gen_corpus.py
(the same words at every size, chapters of 25 pages), builds it, and
prints the median and largest HTML file of each kind of book page (home,
chapter, page), how much of a page is the inline sidebar, and the shared
files every page loads once (toc.js, the search manifest). `--book DIR`
adds an existing site folder (this repository's book: `--book .`).
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile

SIDEBAR = re.compile(rb'<nav class="sidebar-nav".*?</nav>', re.S)
BOOK_WIDE = {"contents", "resources", "status", "tags", "print", "search"}


def measure(out):
    kinds = {"home": [], "chapter": [], "page": []}
    sidebars = []
    for root, _dirs, files in os.walk(out):
        rel = os.path.relpath(root, out)
        top = rel.split(os.sep)[0]
        if "index.html" not in files or top in BOOK_WIDE:
            continue
        with open(os.path.join(root, "index.html"), "rb") as f:
            html = f.read()
        kind = re.search(rb'<body class="kind-(\w+)', html)
        kind = kind.group(1).decode() if kind else "page"
        kinds.setdefault(kind, []).append(len(html))
        m = SIDEBAR.search(html)
        if m:
            sidebars.append(len(m.group(0)))
    shared = {}
    for name in ["toc.js", "search-index.js", "assets/app.js", "assets/search.js", "assets/style.css"]:
        p = os.path.join(out, name)
        if os.path.exists(p):
            shared[name] = os.path.getsize(p)
    return kinds, sidebars, shared


def report(label, out):
    kinds, sidebars, shared = measure(out)
    print(f"\n{label}")
    print("| pages of kind | count | median bytes | largest bytes |")
    print("| --- | --- | --- | --- |")
    for kind in ["home", "chapter", "page"]:
        v = kinds.get(kind) or []
        if v:
            print(f"| {kind} | {len(v)} | {int(statistics.median(v)):,} | {max(v):,} |")
    if sidebars:
        print(f"| inline sidebar (every page) | {len(sidebars)} | {int(statistics.median(sidebars)):,} | {max(sidebars):,} |")
    print("shared files, loaded once: " + ", ".join(f"{k} {v:,} B" for k, v in shared.items()))


def build(openbook, src, out):
    subprocess.run([openbook, "build", src, "--out", out, "--quiet"], check=True)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("--openbook", default=os.path.join(here, "..", "target", "release", "openbook"))
    ap.add_argument("--pages", default="40,10000")
    ap.add_argument("--gen", default=os.path.join(here, "gen_corpus.py"))
    ap.add_argument("--book", action="append", default=[])
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for d in a.book:
            out = os.path.join(tmp, "book-out")
            build(a.openbook, d, out)
            report(f"Site folder {os.path.abspath(d)}:", out)
        for n in [int(x) for x in a.pages.split(",") if x]:
            src = os.path.join(tmp, f"corpus-{n}")
            out = os.path.join(tmp, f"out-{n}")
            subprocess.run([sys.executable, a.gen, "--pages", str(n), "--format", "openbook", "--out", src],
                           check=True, stdout=subprocess.DEVNULL)
            build(a.openbook, src, out)
            report(f"Generated book of {n} pages (gen_corpus.py):", out)


if __name__ == "__main__":
    main()
