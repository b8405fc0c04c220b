#!/usr/bin/env python3
"""Build pathological books and report time and peak memory (not run in CI).

Usage: scripts/stress.py [--bin target/release/openbook] [--mb 20]

Each case is a fresh site in a temporary folder built with the release
binary. Big pages are compared with the same text split into 1 MB pages in
the same run, so the ratio says whether one huge page costs more than its
size: a ratio near 1 means time and memory grow with the text, not faster.
Nesting cases must simply finish quickly with little memory.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

HEAD = "---\ntitle: \"{title}\"\ndescription: \"d\"\n---\n\n"


def prose(mb):
    para = ("Some *emphasis*, a [link](#section-{i}) and `code` in a sentence "
            "that goes on for a while. ") * 8 + "\n\n"
    parts, size, i = [], 0, 0
    while size < mb * 1024 * 1024:
        s = f"## Section {i}\n\n{para.format(i=i)}```sql\nSELECT {i};\n```\n\n"
        parts.append(s)
        size += len(s)
        i += 1
    return parts


def site(root, pages):
    os.makedirs(f"{root}/content/01-ch")
    with open(f"{root}/site.yaml", "w") as f:
        f.write("title: Stress\n")
    with open(f"{root}/content/index.md", "w") as f:
        f.write(HEAD.format(title="Home") + "Home.\n")
    for i, body in enumerate(pages):
        with open(f"{root}/content/01-ch/{i + 1:03}-page-{i + 1}.md", "w") as f:
            f.write(HEAD.format(title=f"Page {i}") + body)


def run(binary, pages, command="build"):
    """(seconds, peak resident MB, exit code) of one run.

    Peak memory comes from GNU time: a child forked from this script would
    inherit the script's own (large) high-water mark in its rusage.
    """
    root = tempfile.mkdtemp(prefix="openbook-stress-")
    try:
        site(root, pages)
        start = time.perf_counter()
        r = subprocess.run(["/usr/bin/time", "-f", "%M", binary, command, root],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                           text=True)
        elapsed = time.perf_counter() - start
        kb = int(r.stderr.strip().splitlines()[-1].split()[-1])
        return elapsed, kb / 1024, r.returncode
    finally:
        shutil.rmtree(root)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="target/release/openbook")
    ap.add_argument("--mb", type=int, default=20)
    a = ap.parse_args()
    if not os.path.exists(a.bin):
        sys.exit(f"{a.bin} not found: cargo build --release first")

    print(f"{'case':<44} {'exit':>4} {'seconds':>8} {'peak MB':>8}")
    parts = prose(a.mb)
    text = "".join(parts)
    per_mb = len(parts) // a.mb
    split = ["".join(parts[i:i + per_mb]) for i in range(0, len(parts), per_mb)]
    results = {}
    for name, pages, cmd in [
        (f"one {a.mb} MB page (build)", [text], "build"),
        (f"the same text in {len(split)} pages (build)", split, "build"),
        (f"one {a.mb} MB page (check)", [text], "check"),
    ]:
        t, m, code = run(a.bin, pages, cmd)
        results[name] = (t, m)
        print(f"{name:<44} {code:>4} {t:>8.2f} {m:>8.0f}")
    one = results[f"one {a.mb} MB page (build)"]
    many = results[f"the same text in {len(split)} pages (build)"]
    print(f"ratio one page / split pages: time {one[0] / many[0]:.2f}, "
          f"input {len(text) / 1e6:.1f} MB")

    nested = [
        ("50,000 nested block quotes", ">" * 50_000 + " deep\n"),
        ("5,000 nested list items",
         "".join("  " * i + "- item\n" for i in range(5_000))),
        ("50,000 nested brackets", "[" * 50_000 + "x" + "]" * 50_000 + "\n"),
        ("50,000 unclosed emphasis runs", "*a **b " * 50_000 + "\n"),
        ("50,000 equal headings", "## Pitfalls\n\ntext\n\n" * 50_000),
        ("100,000 links on one line",
         "[home](../index.md) [a](#section) " * 100_000 + "\n\n## Section\n"),
        ("20,000 footnotes",
         "".join(f"t[^{i}]\n\n[^{i}]: note {i}\n\n" for i in range(20_000))),
        ("one 20 MB line", "word " * (4 * 1024 * 1024) + "\n"),
        ("50,000 unclosed <div>", "<div>" * 50_000 + "\n"),
    ]
    for name, body in nested:
        t, m, code = run(a.bin, [body])
        print(f"{name:<44} {code:>4} {t:>8.2f} {m:>8.0f}")


if __name__ == "__main__":
    main()
