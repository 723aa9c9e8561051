#!/usr/bin/env bash
# --jobs changes how fast the letters are checked and the print files made, never what is
# in them: the same night run with 1, 2 and 3 threads gives byte-identical print files,
# feeds and review list.
#
# Reservation IDs are random, so two fresh runs can never be compared byte for byte. The
# comparison starts instead from one database state: a run is killed right after the IDs
# are committed (CERTNOTICE_FAULT=after_issue, the crash the pipeline is built to survive),
# its database is copied, and each copy is run to the end with another --jobs. Every copy
# keeps the same IDs (checked: no new ID is drawn), so any byte that differs is the
# renderer's doing. A config with files of 30 letters gives 5 files, so that two and three
# threads render several files at once and the last round is a partial one.
source "$(dirname "$0")/lib.sh"
DATE=2026-12-01
T="$SCRATCH/templates"
demo_city 's/size="1000"/size="30"/' >/dev/null
python3 "$ROOT/scripts/gen-residents.py" --count 160 --date "$DATE" --seed 7 --due-share 0.9 \
    > "$SCRATCH/residents.csv"
json() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2], {"d": d}))' "$@"; }
run() { # run DB OUT [options]
    local db=$1 out=$2; shift 2
    "$BIN" run --date "$DATE" --input "$SCRATCH/residents.csv" --db "$db" --out "$out" \
        --config "$T/municipalities/city.xml" "$@"
}

mkdir -p "$SCRATCH/base"
CERTNOTICE_FAULT=after_issue run "$SCRATCH/base/state.db" "$SCRATCH/base/out" > /dev/null 2>&1
ids=$(sqlite3 "$SCRATCH/base/state.db" "select count(*) from notices where status = 'issued'")
check "the killed run left issued reservation IDs to start from" test "$ids" -ge 120
# U+E0A5: a gaiji the demo's gaiji map lacks.
held=$(sqlite3 "$SCRATCH/base/state.db" "select count(*) from residents where instr(name, char(57509))")
check "a resident whose name cannot print is among them, so review.csv has a row" test "$held" -ge 1

for j in 1 2 3; do
    mkdir -p "$SCRATCH/j$j"
    cp "$SCRATCH/base/state.db" "$SCRATCH/j$j/"
    [ -e "$SCRATCH/base/state.db-wal" ] && cp "$SCRATCH/base/state.db-wal" "$SCRATCH/j$j/"
    check_exit "run with --jobs $j exits 0" 0 run "$SCRATCH/j$j/state.db" "$SCRATCH/j$j/out" --jobs "$j"
done
B1="$SCRATCH/j1/out/$DATE"
check_eq "--jobs 1 reused every ID (nothing random left to differ)" "0" \
    "$(json "$B1/internal/report.json" 'd["issue"]["new_ids"]')"
files=$(ls "$B1/print" | grep -c '^notices-.*\.pdf$')
check "five print files, so threads share the work unevenly" test "$files" -eq 5
for j in 2 3; do
    B="$SCRATCH/j$j/out/$DATE"
    check_eq "--jobs $j reused every ID" "0" "$(json "$B/internal/report.json" 'd["issue"]["new_ids"]')"
    check_eq "--jobs $j makes the same print files" "$(cd "$B1/print" && ls notices-*.pdf)" \
        "$(cd "$B/print" && ls notices-*.pdf)"
    for f in "$B1"/print/notices-*.pdf; do
        check "--jobs $j: $(basename "$f") byte-identical to --jobs 1" cmp "$f" "$B/print/$(basename "$f")"
    done
    check "--jobs $j: internal/notices.csv identical" cmp "$B1/internal/notices.csv" "$B/internal/notices.csv"
    check "--jobs $j: internal/review.csv identical (the check runs on the threads too)" \
        cmp "$B1/internal/review.csv" "$B/internal/review.csv"
    check "--jobs $j: booking/reservations.csv identical" \
        cmp "$B1/booking/reservations.csv" "$B/booking/reservations.csv"
done
done_testing
