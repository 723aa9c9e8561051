#!/usr/bin/env bash
# The nightly job's benchmark (`make bench`): deterministic synthetic residents at several
# sizes, the real job with the release build, and one table row per run: letters/s end to
# end (wall clock and per CPU second), each stage's time from the job's own log
# (`seconds=` in the stage lines), peak RSS, bytes per letter in the print files (fonts
# included) and pages/s; then an ingest-only row.
#
#   scripts/bench.sh                 1,000 / 10,000 / 100,000 residents (~6% due), the
#                                    many-letters night at 10,000 and 100,000 residents
#                                    (95% in their window), ingest of 200,000 records
#   BENCH_FULL=1 scripts/bench.sh    adds 1,000,000 residents in both modes and ingests
#                                    1,000,000 records
#   BENCH_JOBS=N (default: cores)    --jobs of the run; BENCH_DIR (default build/bench)
#                                    keeps the generated inputs between runs
#   BENCH_SIZES, BENCH_DUE_SIZES, BENCH_INGEST   other sizes ("" skips a part)
#   BENCH_BIN                        another build to measure (an older one: before/after)
#   BENCH_SERVE=0                    skips the booking service part (scripts/bench-serve.sh)
#   CERTNOTICE_POSTAL_DIR            Japan Post's ken_all.zip and jigyosyo.zip (default: the
#                                    repository's, tests/fixtures/postal): their import is
#                                    timed, and the many-letters nights run again with the
#                                    dictionary (mode "+dict": what lookup adds)
#   The postal rows alone: BENCH_SIZES= BENCH_DUE_SIZES=1000 BENCH_INGEST= BENCH_SERVE=0
#   BENCH_DICT=0                     skips the many-letters nights with the dictionary
#
# letters/s/core is letters over user+sys CPU seconds: on a shared machine the wall clock
# also measures the neighbours, the CPU time does not. Each night row also runs the floor
# program (scripts/bench/floor.c: a bare libharu program printing the same letter count with
# its static parts shared) and reports the night's CPU seconds over the floor's (/floor).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BENCH_BIN:-$ROOT/build/certnotice}
CONFIG="$ROOT/templates/municipalities/demo.xml"
DATE=2026-12-01
SEED=20261201
WORK=${BENCH_DIR:-$ROOT/build/bench}
JOBS=${BENCH_JOBS:-$(nproc)}
FULL=${BENCH_FULL:-0}

[ -x "$BIN" ] || { echo "bench: $BIN missing (make)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time missing (apt-get install time)" >&2; exit 2; }
POSTAL=${CERTNOTICE_POSTAL_DIR:-$ROOT/tests/fixtures/postal}
[ -s "$POSTAL/ken_all.zip" ] && [ -s "$POSTAL/jigyosyo.zip" ] ||
    { echo "bench: no ken_all.zip and jigyosyo.zip in $POSTAL" >&2; exit 2; }
mkdir -p "$WORK/inputs"
# The floor program (scripts/bench/floor.c): a bare libharu program printing the same number
# of letters, in files of the config's batch size, with the config's fonts.
FLOOR="$WORK/floor"
cc -O2 -Wall -Wextra -o "$FLOOR" "$ROOT/scripts/bench/floor.c" -lhpdf -lz -lm
BATCH_SIZE=$(sed -n 's/.*<batch [^>]*size="\([0-9]*\)".*/\1/p' "$CONFIG" | head -1)
FONT_GOTHIC=/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf
FONT_MINCHO=/usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf
RESULTS="$WORK/results.tsv"
: > "$RESULTS"

# input NAME COUNT [generator options]: sets INPUT to the file, generated once and reused
# while the generator is unchanged (the name says which options made it).
input() {
    local name=$1 count=$2
    shift 2
    INPUT="$WORK/inputs/$name-$count.csv"
    if [ ! -s "$INPUT" ] || [ "$ROOT/scripts/gen-residents.py" -nt "$INPUT" ]; then
        python3 "$ROOT/scripts/gen-residents.py" --count "$count" --date "$DATE" \
            --seed "$SEED" "$@" > "$INPUT.tmp"
        mv "$INPUT.tmp" "$INPUT"
    fi
}

# run_night MODE COUNT FILE: the whole job on a fresh database; appends a result row. A mode
# ending in +dict starts from a database holding Japan Post's dictionary (imported first,
# not timed with the night).
run_night() {
    local mode=$1 count=$2 file=$3
    local dir="$WORK/run-$mode-$count"
    rm -rf "$dir"
    mkdir -p "$dir"
    local rc=0
    if [[ "$mode" == *+dict ]]; then
        "$BIN" postal import --db "$dir/state.db" "$POSTAL/ken_all.zip" "$POSTAL/jigyosyo.zip" 2>/dev/null
    fi
    /usr/bin/time -f '%e %U %S %M' -o "$dir/time" \
        "$BIN" run --date "$DATE" --input "$file" --db "$dir/state.db" --out "$dir/out" \
        --config "$CONFIG" --jobs "$JOBS" 2> "$dir/log" || rc=$?
    # 1: some records rejected, which the generator's odd cases may cause; more is a failure.
    if [ "$rc" -gt 1 ]; then
        echo "bench: run $mode $count failed (exit $rc); log: $dir/log" >&2
        tail -5 "$dir/log" >&2
        exit 1
    fi
    local bytes
    bytes=$(find "$dir/out" -path '*/print/notices-*.pdf' -printf '%s\n' | awk '{s += $1} END {printf "%.0f\n", s}')
    # The floor program on the same letter count (one thread: compared by CPU seconds).
    local letters
    letters=$(sed -n 's/.*stage=publish msg="batch .*: \([0-9]*\) letters.*/\1/p' "$dir/log" | tail -1)
    mkdir -p "$dir/floor"
    /usr/bin/time -f '%e %U %S %M' -o "$dir/floor-time" \
        "$FLOOR" "${letters:-0}" "$BATCH_SIZE" "$dir/floor" "$FONT_GOTHIC" "$FONT_MINCHO" > /dev/null
    python3 - "$mode" "$count" "$dir/time" "$dir/log" "$bytes" "$dir/floor-time" >> "$RESULTS" <<'EOF'
import re, sys
mode, count, timef, logf, nbytes, floorf = sys.argv[1:]
wall, user, sys_, rss = open(timef).read().split()[-4:]
fwall, fuser, fsys, _ = open(floorf).read().split()[-4:]
stages, letters, pages = {}, 0, 0
for line in open(logf, encoding="utf-8", errors="replace"):
    m = re.search(r'stage=(\w+) msg=".*seconds=([0-9.]+)', line)
    if m:
        stages[m.group(1)] = float(m.group(2))
    # The publish line has the totals (and is there in builds older than the render line).
    m = re.search(r'stage=publish msg="batch .*: (\d+) letters, (\d+) pages', line)
    if m:
        letters, pages = int(m.group(1)), int(m.group(2))
cols = [mode, count, letters, wall, float(user) + float(sys_), int(rss) / 1024, nbytes, pages]
cols += [stages.get(s, 0.0) for s in ("ingest", "select", "issue", "check", "sort", "render", "publish")]
cols += [float(fuser) + float(fsys), fwall]
print("\t".join(str(c) for c in cols))
EOF
    # The print files of a million letters are gigabytes: keep the log, not the output.
    rm -rf "$dir/out" "$dir/floor" "$dir"/state.db*
}

# ingest_only COUNT: the ingest command alone on a fresh database.
ingest_only() {
    local count=$1 file
    input ingest "$count" --no-cases
    file=$INPUT
    local dir="$WORK/ingest-$count"
    rm -rf "$dir"
    mkdir -p "$dir"
    local rc=0
    /usr/bin/time -f '%e %U %S %M' -o "$dir/time" \
        "$BIN" ingest --db "$dir/state.db" --config "$CONFIG" "$file" > /dev/null 2> "$dir/log" || rc=$?
    if [ "$rc" -gt 1 ]; then
        echo "bench: ingest of $count records failed (exit $rc); log: $dir/log" >&2
        exit 1
    fi
    read -r wall user sys rss < <(tail -1 "$dir/time")
    awk -v n="$count" -v w="$wall" -v u="$user" -v s="$sys" -v r="$rss" 'BEGIN {
        printf "\ningest only: %d records in %.2f s wall, %.2f s CPU: %.0f records/s (%.0f per CPU s), peak RSS %.1f MB\n",
            n, w, u + s, n / (w > 0 ? w : 1e-9), n / (u + s > 0 ? u + s : 1e-9), r / 1024 }'
    rm -rf "$dir"/state.db*
}

echo "certnotice bench: $(nproc) cores, --jobs $JOBS, $(date -u +%Y-%m-%dT%H:%MZ), load $(cut -d' ' -f1-3 /proc/loadavg)"
SIZES="1000 10000 100000"
DUE_SIZES="10000 100000"
INGEST=200000
if [ "$FULL" = 1 ]; then
    SIZES="$SIZES 1000000"
    DUE_SIZES="$DUE_SIZES 1000000"
    INGEST=1000000
fi
SIZES=${BENCH_SIZES-$SIZES}
DUE_SIZES=${BENCH_DUE_SIZES-$DUE_SIZES}
INGEST=${BENCH_INGEST-$INGEST}
for n in $SIZES; do
    echo "  realistic night, $n residents ..." >&2
    input realistic "$n" --all-towns
    run_night realistic "$n" "$INPUT"
done
for n in $DUE_SIZES; do
    echo "  many-letters night, $n residents ..." >&2
    input due95 "$n" --no-cases --due-share 0.95 --all-towns
    run_night due95 "$n" "$INPUT"
    [ "${BENCH_DICT:-1}" = 1 ] || continue
    echo "  many-letters night, $n residents, with the postcode dictionary ..." >&2
    run_night due95+dict "$n" "$INPUT"
done

python3 - "$RESULTS" <<'EOF'
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
head = ["mode", "residents", "letters", "wall s", "CPU s", "letters/s", "letters/s/core",
        "ingest", "select", "issue", "check", "sort", "render", "publish", "RSS MB",
        "B/letter", "pages/s", "floor CPU s", "/floor"]
out = [head]
for r in rows:
    mode, n, letters, wall, cpu, rss, nbytes, pages = r[:8]
    ingest, select, issue, check, sort, render, publish = map(float, r[8:15])
    floor_cpu = float(r[15])
    letters, wall, cpu, pages = int(letters), float(wall), float(cpu), int(pages)
    out.append([mode, f"{int(n):,}", f"{letters:,}", f"{wall:.2f}", f"{cpu:.2f}",
                f"{letters / wall:,.0f}" if wall else "-",
                f"{letters / cpu:,.0f}" if cpu else "-",
                f"{ingest:.2f}", f"{select:.2f}", f"{issue:.2f}", f"{check:.2f}", f"{sort:.2f}",
                f"{render:.2f}", f"{publish:.2f}", f"{float(rss):.1f}",
                f"{float(nbytes) / letters:,.0f}" if letters else "-",
                f"{pages / render:,.0f}" if render else "-",
                f"{floor_cpu:.2f}", f"{cpu / floor_cpu:.2f}" if floor_cpu else "-"])
w = [max(len(row[i]) for row in out) for i in range(len(head))]
print("stage columns: seconds of wall clock, from the job's log; /floor: the night's CPU "
      "seconds over the floor program's (scripts/bench/floor.c) on the same letter count")
for i, row in enumerate(out):
    print("  ".join(c.rjust(w[j]) for j, c in enumerate(row)))
    if i == 0:
        print("  ".join("-" * x for x in w))
EOF

[ -z "$INGEST" ] || ingest_only "$INGEST"

# The postcode dictionary: the full files' import, and what its lookup adds to a night.
dir="$WORK/postal"
rm -rf "$dir"
mkdir -p "$dir"
/usr/bin/time -f '%e %U %S %M' -o "$dir/time" \
    "$BIN" postal import --db "$dir/state.db" "$POSTAL/ken_all.zip" "$POSTAL/jigyosyo.zip" 2>"$dir/log"
read -r wall user sys rss < <(tail -1 "$dir/time")
towns=$(grep -o '[0-9]* towns' "$dir/log" | head -1)
awk -v w="$wall" -v u="$user" -v s="$sys" -v r="$rss" -v t="$towns" 'BEGIN {
    printf "\npostal import: ken_all.zip + jigyosyo.zip (%s) in %.2f s wall, %.2f s CPU, peak RSS %.1f MB\n",
        t, w, u + s, r / 1024 }'
python3 - "$RESULTS" <<'EOF'
import sys
rows = {(r[0], r[1]): r for r in (l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip())}
for (mode, n), r in sorted(rows.items()):
    d = rows.get((mode + "+dict", n))
    if d is None:
        continue
    cpu, cpu_d = float(r[4]), float(d[4])
    check, check_d = float(r[11]), float(d[11])
    print(f"postal lookup, {mode} {int(n):,} residents ({int(d[2]):,} letters): check stage "
          f"{check:.2f} -> {check_d:.2f} s, night CPU {cpu:.2f} -> {cpu_d:.2f} s "
          f"({(cpu_d - cpu) / cpu * 100:+.1f}%)")
EOF

# The booking service: pages/s, latency, bookings/s and memory over a soak
# (scripts/bench-serve.sh; BENCH_SERVE=0 skips it, SERVE_SECONDS and SOAK_SECONDS set the
# lengths).
if [ "${BENCH_SERVE:-1}" = 1 ]; then
    echo
    BENCH_BIN="$BIN" BENCH_DIR="$WORK" "$ROOT/scripts/bench-serve.sh"
fi
