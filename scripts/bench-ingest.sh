#!/usr/bin/env bash
# Ingest rate and peak memory on generated residents (default 1,000,000): loads one CSV into a
# fresh database with the release build and prints records/s and peak RSS.
# Usage: scripts/bench-ingest.sh [COUNT]      (targets: >= 200,000 records/s, < 64 MB)
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-1000000}"
bin=build/certnotice
config=templates/municipalities/demo.xml
work="${TMPDIR:-/tmp}/certnotice-bench-ingest"
mkdir -p "$work"
input="$work/residents-$count.csv"

[ -x "$bin" ] || make -j2 "$bin" >/dev/null
if [ ! -s "$input" ]; then
    echo "generating $count residents into $input ..." >&2
    python3 scripts/gen-residents.py --count "$count" >"$input.tmp"
    mv "$input.tmp" "$input"
fi
rm -f "$work/bench.db" "$work/bench.db-wal" "$work/bench.db-shm"

# Read the input once first so the figure is about ingest, not a cold page cache.
cat "$input" >/dev/null
/usr/bin/time -f '%e %M' -o "$work/time" \
    "$bin" ingest --db "$work/bench.db" --config "$config" "$input" 2>"$work/log" || {
    echo "ingest failed:" >&2
    tail -5 "$work/log" >&2
    exit 1
}
read -r seconds rss_kb <"$work/time"
loaded=$(sqlite3 "$work/bench.db" 'select count(*) from residents')
awk -v n="$loaded" -v s="$seconds" -v kb="$rss_kb" -v bytes="$(stat -c %s "$input")" 'BEGIN {
    printf "records loaded: %d (%.0f MB of CSV)\n", n, bytes / 1e6
    printf "wall time:      %.2f s\n", s
    printf "rate:           %.0f records/s\n", (s > 0 ? n / s : 0)
    printf "peak RSS:       %.1f MB\n", kb / 1024
}'
rm -f "$work/bench.db" "$work/bench.db-wal" "$work/bench.db-shm"
