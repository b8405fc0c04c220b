#!/usr/bin/env bash
# Fuzz the front-matter and Markdown stages for a bounded time (not run in
# CI). Needs a nightly toolchain and cargo-fuzz:
#
#   rustup toolchain install nightly
#   cargo install cargo-fuzz --locked
#
# Usage: scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
#        (default: 300 seconds, both targets)
#
# No sanitizer: the crate forbids unsafe code, so what fuzzing can find is
# panics, hangs (-timeout) and runaway memory (-rss_limit_mb), and
# AddressSanitizer made the page target four times slower.
#
# Each target starts from a corpus seeded with the repository's own pages
# (content/ and tests/sites/), so the fuzzer begins from real Markdown and
# front matter. A crash is saved under fuzz/artifacts/<target>/; turn it into
# a regression test in tests/cli/regression.rs named after what it found.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-300}"
shift || true
targets=("${@:-front_matter page}")
# shellcheck disable=SC2068
for target in ${targets[@]}; do
    corpus="fuzz/corpus/$target"
    mkdir -p "$corpus"
    while IFS= read -r -d '' f; do
        cp "$f" "$corpus/seed-$(sha1sum < "$f" | cut -c1-16)"
    done < <(find content tests/sites -name '*.md' -size -16k -print0)
    echo "== fuzzing $target for ${seconds}s"
    if ! cargo +nightly fuzz run --sanitizer none "$target" "$corpus" -- \
        -max_total_time="$seconds" -max_len=16384 -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1; then
        echo "== $target found a crash: see fuzz/artifacts/$target/"
        failed=1
    fi
done
exit "${failed:-0}"
