#!/usr/bin/env python3
"""Edit-to-reload latency of `openbook serve` against `hugo server` and
`mdbook serve`, on the same generated corpus, machine and run.

    bench/latency.py [--pages 1000,10000] [--runs 20] [--peers hugo,mdbook]
                     [--openbook target/release/openbook] [--json out.json]

For each corpus size it generates the book in the three formats (cached in
--cache), starts each preview server in turn, appends a marker to one page
--runs times and times, from the write, until the served page contains the
marker (bench/edit_latency.py). Prints the median and worst per server and
the ratio openbook/peer. mdBook rebuilds the whole book on every edit and is
quadratic in the book's size, so at 10,000 pages it gets --slow-runs edits
(each takes minutes); that is said in the output.

Peers: `apt-get install -y hugo` and `cargo install mdbook --locked`.
"""
import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def corpus(cache, fmt, pages):
    d = os.path.join(cache, f"{fmt}-{pages}")
    if not os.path.exists(os.path.join(d, ".complete")):
        shutil.rmtree(d, ignore_errors=True)
        subprocess.run([sys.executable, os.path.join(HERE, "gen_corpus.py"), "--pages", str(pages),
                        "--format", fmt, "--out", d], check=True, stdout=subprocess.DEVNULL)
        open(os.path.join(d, ".complete"), "w").close()
    return d


def locate(fmt, pages, k):
    out = subprocess.run([sys.executable, os.path.join(HERE, "gen_corpus.py"), "--pages", str(pages),
                          "--format", fmt, "--locate", str(k)], check=True, capture_output=True,
                         text=True).stdout.strip()
    src, url = out.split("\t")
    return src, url


def which(name, extra=()):
    for d in list(extra) + os.environ.get("PATH", "").split(os.pathsep):
        p = os.path.join(d, name)
        if os.path.isfile(p) and os.access(p, os.X_OK):
            return p
    return None


def measure(label, cmd, cwd, url, file, runs, log):
    with tempfile.NamedTemporaryFile("r", suffix=".json") as tf:
        r = subprocess.run([sys.executable, os.path.join(HERE, "edit_latency.py"), "--cmd", cmd,
                            "--cwd", cwd, "--url", url, "--file", file, "--runs", str(runs),
                            "--settle", "1.0", "--label", label, "--log", log, "--json", tf.name],
                           text=True)
        try:
            res = json.load(open(tf.name))
        except ValueError:
            res = {"label": label, "error": f"exit {r.returncode}"}
    return res


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pages", default="1000,10000")
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--slow-runs", type=int, default=3,
                    help="edits for mdBook at 10,000 pages or more (each takes minutes)")
    ap.add_argument("--peers", default="hugo,mdbook")
    ap.add_argument("--openbook", default=os.path.join(ROOT, "target", "release", "openbook"))
    ap.add_argument("--cache", default=os.path.join(tempfile.gettempdir(), "openbook-bench-corpora"))
    ap.add_argument("--json", help="write all results here")
    a = ap.parse_args()
    if not os.path.exists(a.openbook):
        sys.exit(f"{a.openbook} not found: run `cargo build --release` first")
    peers = [p for p in a.peers.split(",") if p]
    tools = {"hugo": which("hugo"), "mdbook": which("mdbook", [os.path.expanduser("~/.cargo/bin"),
                                                               "/work/tools/bin"])}
    for p in peers:
        if not tools.get(p):
            sys.exit(f"{p} is not installed (see this script's help)")
    log = os.path.join(tempfile.gettempdir(), "openbook-latency-servers.log")
    results = []
    for pages in [int(x) for x in a.pages.split(",")]:
        k = pages // 2
        print(f"== {pages} pages (editing page {k})", flush=True)
        row = {"pages": pages}
        ob = corpus(a.cache, "openbook", pages)
        src, url = locate("openbook", pages, k)
        port = free_port()
        row["openbook"] = measure("openbook", f"{os.path.abspath(a.openbook)} serve . --port {port}",
                                  ob, f"http://127.0.0.1:{port}{url}", src, a.runs, log)
        if "hugo" in peers:
            hu = corpus(a.cache, "hugo", pages)
            src, url = locate("hugo", pages, k)
            port = free_port()
            row["hugo"] = measure("hugo", f"{tools['hugo']} server --port {port} --bind 127.0.0.1 "
                                  "--disableFastRender=false --watch", hu,
                                  f"http://127.0.0.1:{port}{url}", src, a.runs, log)
        if "mdbook" in peers:
            md = corpus(a.cache, "mdbook", pages)
            src, url = locate("mdbook", pages, k)
            port = free_port()
            runs = a.runs if pages < 10000 else a.slow_runs
            row["mdbook"] = measure("mdbook", f"{tools['mdbook']} serve --port {port} "
                                    "--hostname 127.0.0.1", md,
                                    f"http://127.0.0.1:{port}{url}", src, runs, log)
        results.append(row)
    print("\nEdit to served change (ms): median / worst, over the edits counted")
    print(f"{'pages':>7} {'openbook':>22} " + " ".join(f"{p:>22}" for p in peers) + "  ratios (median)")
    for row in results:
        def cell(r):
            if "median_ms" not in r:
                return "error".rjust(22)
            return f"{r['median_ms']:.0f} / {r['max_ms']:.0f} (n={len(r['runs_ms'])})".rjust(22)
        ratios = []
        for p in peers:
            if "median_ms" in row.get(p, {}) and "median_ms" in row["openbook"]:
                ratios.append(f"{p} {row['openbook']['median_ms'] / row[p]['median_ms']:.3f}")
        print(f"{row['pages']:>7} {cell(row['openbook'])} " + " ".join(cell(row.get(p, {})) for p in peers)
              + "  " + ", ".join(ratios))
    if a.json:
        with open(a.json, "w") as f:
            json.dump(results, f, indent=2)


if __name__ == "__main__":
    main()
