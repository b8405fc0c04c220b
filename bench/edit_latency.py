#!/usr/bin/env python3
# Copied from the team's shared benchmark kit (shared/bench/) so that the
# repository's benchmarks stand on their own.
"""Measure live-preview edit latency of a static-site generator's dev server.

    edit_latency.py --cmd 'zola serve -i 127.0.0.1 -p 1111' --cwd SITE \\
        --url http://127.0.0.1:1111/indexes/tuning-brin-indexes/ \\
        --file content/indexes/tuning-brin-indexes.md [--runs 5]

1. Starts the server command (no shell; its own process group) in --cwd,
   its output going to --log.
2. Polls --ready-url (default: --url) until it answers HTTP 200: the time
   from start to ready is reported as "ready_s" (initial build + serve).
3. Waits --settle seconds, then, --runs times: appends a paragraph with a
   fresh marker string to --file, and polls --url (every --poll seconds,
   backing off to 2% of the time waited, at most 0.1 s) until the response
   body contains that marker. The latency is measured
   from just before the write to the first response holding the marker.
   Between runs it waits --settle seconds again, so one run's file-watcher
   debounce window cannot swallow the next edit.
4. Stops the server by its process-group id (the server's own PID), then
   puts --file back as it was.

Only 127.0.0.1 / localhost URLs are accepted. Prints one line per run and a
summary; --json FILE also writes the figures as JSON. Standard library only.
"""

import argparse
import json
import os
import shlex
import signal
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid


def fetch(url, timeout):
    req = urllib.request.Request(url, headers={"Cache-Control": "no-cache",
                                               "Pragma": "no-cache"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, b""
    except (urllib.error.URLError, ConnectionError, OSError):
        return None, b""


def stop(proc, grace=10.0):
    """Stop the server and everything in its process group, by the group id."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            pass
    # Children left in the group (the leader may have exited first).
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    if proc.poll() is None:
        proc.wait(timeout=grace)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cmd", required=True, help="server command line (split like a shell, no shell)")
    ap.add_argument("--cwd", default=".", help="folder to start the server in")
    ap.add_argument("--url", required=True, help="served URL of the edited page (127.0.0.1 only)")
    ap.add_argument("--file", required=True,
                    help="source file to append the marker to (a relative path is taken from --cwd)")
    ap.add_argument("--ready-url", help="URL that answers 200 once the server is up (default: --url)")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--poll", type=float, default=0.01,
                    help="shortest poll interval, seconds (default 0.01; backs off to 2%% "
                         "of the time waited, at most 0.1 s)")
    ap.add_argument("--settle", type=float, default=2.0,
                    help="pause after ready and between runs, seconds (default 2)")
    ap.add_argument("--ready-timeout", type=float, default=1800.0)
    ap.add_argument("--timeout", type=float, default=300.0, help="per-edit timeout, seconds")
    ap.add_argument("--log", default=os.devnull, help="file for the server's output")
    ap.add_argument("--label", default="", help="name printed with the results")
    ap.add_argument("--json", help="write the results as JSON to this file")
    args = ap.parse_args(argv)

    for u in [args.url] + ([args.ready_url] if args.ready_url else []):
        host = urllib.parse.urlsplit(u).hostname
        if host not in ("127.0.0.1", "localhost"):
            ap.error("only loopback URLs are allowed: %s" % u)
    ready_url = args.ready_url or args.url
    path = args.file if os.path.isabs(args.file) else os.path.join(args.cwd, args.file)
    path = os.path.abspath(path)
    with open(path, "rb") as f:
        original = f.read()
    first = fetch(ready_url, 1.0)[0]
    if first is not None:
        ap.error("something already answers on %s (status %s); pick another port" % (ready_url, first))

    log = open(args.log, "ab")
    t_start = time.perf_counter()
    proc = subprocess.Popen(shlex.split(args.cmd), cwd=args.cwd, stdin=subprocess.DEVNULL,
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    def on_signal(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_signal)
    result = {"label": args.label, "cmd": args.cmd, "url": args.url, "file": args.file,
              "runs_ms": [], "ready_s": None, "poll_s": args.poll}
    rc = 0
    try:
        # 1. wait until the server is up
        while True:
            if proc.poll() is not None:
                raise RuntimeError("server exited with status %s before it was ready" % proc.returncode)
            status, _ = fetch(ready_url, 5.0)
            if status == 200:
                break
            if time.perf_counter() - t_start > args.ready_timeout:
                raise RuntimeError("server not ready after %.0f s" % args.ready_timeout)
            time.sleep(0.05)
        result["ready_s"] = round(time.perf_counter() - t_start, 3)
        print("%s ready after %.2f s (pid %d)" % (args.label or "server", result["ready_s"], proc.pid),
              flush=True)

        # 2. edits
        for i in range(args.runs):
            time.sleep(args.settle)
            marker = "editmarker" + uuid.uuid4().hex[:16]
            t0 = time.perf_counter()
            with open(path, "a", encoding="utf-8") as f:
                f.write("\n\n%s\n" % marker)
            needle = marker.encode()
            polls = 0
            while True:
                status, body = fetch(args.url, 10.0)
                polls += 1
                if status == 200 and needle in body:
                    break
                if proc.poll() is not None:
                    raise RuntimeError("server exited with status %s during run %d" % (proc.returncode, i + 1))
                waited = time.perf_counter() - t0
                if waited > args.timeout:
                    raise RuntimeError("marker not served after %.0f s (run %d)" % (args.timeout, i + 1))
                # Poll every --poll s, backing off to 2% of the time waited (at most
                # 0.1 s), so a slow rebuild is not slowed down by the poller itself
                # and the resolution stays within ~2% of the result.
                time.sleep(max(args.poll, min(0.1, waited * 0.02)))
            ms = (time.perf_counter() - t0) * 1000.0
            result["runs_ms"].append(round(ms, 1))
            print("  run %d: %.0f ms (%d polls)" % (i + 1, ms, polls), flush=True)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        rc = 130
    except RuntimeError as e:
        print("error: %s" % e, file=sys.stderr)
        result["error"] = str(e)
        rc = 1
    finally:
        stop(proc)
        log.close()
        with open(path, "wb") as f:
            f.write(original)

    runs = result["runs_ms"]
    if runs:
        result["median_ms"] = round(statistics.median(runs), 1)
        result["min_ms"] = min(runs)
        result["max_ms"] = max(runs)
        print("%s: median %.0f ms, min %.0f, max %.0f over %d edits; ready after %.2f s"
              % (args.label or "result", result["median_ms"], result["min_ms"], result["max_ms"],
                 len(runs), result["ready_s"]), flush=True)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(result, f, indent=2)
            f.write("\n")
    return rc


if __name__ == "__main__":
    sys.exit(main())
