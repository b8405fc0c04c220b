#!/usr/bin/env bash
# What verifying the SQL examples costs a build of this book.
#
# usage: scripts/bench-sql.sh [RUNS]        (default 7)
#
# Builds the book RUNS times with a database (every ```sql run``` example
# verified) and RUNS times without one (recorded results shown),
# alternating the two so that the machine's load hits both alike, and
# prints the median wall time of each and their difference. Uses
# DATABASE_URL if set; otherwise starts a throwaway cluster like CI's
# (initdb in a temporary folder, unix socket, fsync off), as the postgres
# user when run as root. Needs a release build: cargo build --release.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-7}
bin=${CARGO_TARGET_DIR:-target}/release/openbook
[ -x "$bin" ] || { echo "no $bin: run cargo build --release first" >&2; exit 1; }
work=$(mktemp -d /tmp/openbook-bench.XXXXXX)
cp sql-results.yaml "$work/recorded.yaml"

if [ -z "${DATABASE_URL:-}" ]; then
    pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
    if [ "$(id -u)" = 0 ]; then
        chown postgres: "$work"
        as_pg() { runuser -u postgres -- "$@"; }
    else
        as_pg() { "$@"; }
    fi
    as_pg "$pgbin/initdb" -D "$work/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
    as_pg "$pgbin/pg_ctl" -D "$work/data" -l "$work/server.log" -w -o \
        "-k $work -c listen_addresses='' -c fsync=off -c full_page_writes=off -c shared_preload_libraries=pg_stat_statements" \
        start >/dev/null
    url="postgresql:///postgres?host=$work&user=postgres"
    server="a throwaway cluster (fsync off)"
else
    url=$DATABASE_URL
    as_pg() { :; }
    pgbin=
    server="DATABASE_URL"
fi
cleanup() {
    [ -n "$pgbin" ] && as_pg "$pgbin/pg_ctl" -D "$work/data" -m fast stop >/dev/null 2>&1 || true
    cp "$work/recorded.yaml" sql-results.yaml
    rm -rf "$work"
}
trap cleanup EXIT

ms() { # ms COMMAND... : wall time of COMMAND in milliseconds
    local t0 t1
    t0=$(date +%s%N)
    "$@" >/dev/null 2>&1
    t1=$(date +%s%N)
    echo $(( (t1 - t0) / 1000000 ))
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : int((a[NR/2] + a[NR/2+1]) / 2)}'; }

with=() without=()
"$bin" build --out "$work/public" --database-url "$url" >/dev/null 2>&1  # warm-up
for _ in $(seq "$runs"); do
    with+=("$(ms "$bin" build --out "$work/public" --database-url "$url")")
    without+=("$(ms "$bin" build --out "$work/public" --database-url "")")
done
examples=$(grep -c -E '^```+ *sql +run' -r content --include='*.md' | awk -F: '{s+=$2} END {print s}')
w=$(printf '%s\n' "${with[@]}" | median)
wo=$(printf '%s\n' "${without[@]}" | median)
echo "server: $server; $examples verified examples; $runs runs each, alternating"
echo "with a database:    ${with[*]} ms (median $w ms)"
echo "without a database: ${without[*]} ms (median $wo ms)"
echo "verification costs: $((w - wo)) ms per build ($(awk -v a="$w" -v b="$wo" 'BEGIN {printf "%.1f", a / b}')x the build without it)"
