#!/usr/bin/env bash
# ops: `returned` marks undeliverable notices and holds their residents (the next run
# leaves them out, a record with a new address lifts the hold), refuses unknown or
# mistyped IDs by file:line and imports the rest once; `report` shows runs, notice counts,
# held residents and failed runs.
source "$(dirname "$0")/lib.sh"

DEMO="$ROOT/templates/municipalities/demo.xml"
DB="$SCRATCH/state.db"
mkdir -p "$SCRATCH/in" "$SCRATCH/empty" "$SCRATCH/out"
cp "$ROOT/input/sample/residents.csv" "$SCRATCH/in/"

run_on() { # date input: the nightly run on the demo config
    "$BIN" run --date "$1" --input "$2" --db "$DB" --out "$SCRATCH/out" --config "$DEMO"
}
report_json_count() { # date reason: how many were left out for reason
    grep -o "\"$2\": [0-9]*" "$SCRATCH/out/$1/internal/report.json" | grep -o '[0-9]*$'
}
report_section() { # title: the report's lines under a section title, up to the blank line
    "$BIN" report --db "$DB" | sed -n "/^$1/,/^\$/p"
}

check "first run publishes the sample" run_on 2026-12-01 "$SCRATCH/in"
notices="$SCRATCH/out/2026-12-01/internal/notices.csv"
a_id=$(sed -n 2p "$notices" | cut -d, -f1)
a_rid=$(sed -n 2p "$notices" | cut -d, -f2)
b_id=$(sed -n 3p "$notices" | cut -d, -f1)
b_rid=$(sed -n 3p "$notices" | cut -d, -f2)
published=$(($(wc -l <"$notices") - 1))
check_eq "no one held before returned mail" 0 "$(report_json_count 2026-12-01 returned)"

# As a clerk types it from the envelope: lower case, hyphens. The third line is A's ID
# with its last symbol changed (a typo), the fourth a resident the database does not know.
a_typed=$(echo "${a_rid:0:4}-${a_rid:4:4}-${a_rid:8:4}" | tr '[:upper:]' '[:lower:]')
last=${a_rid:11:1}
typo="${a_rid:0:11}$([ "$last" = 2 ] && echo 3 || echo 2)"
cat >"$SCRATCH/returned.csv" <<CSV
reservation_id,resident_id,reason,date
$a_typed,,宛所不明,2026-12-10
,$b_id,転居先不明,2026-12-11
$typo,,宛所不明,2026-12-10
,ZZ999,宛所不明,2026-12-10
CSV
"$BIN" returned --db "$DB" "$SCRATCH/returned.csv" >"$SCRATCH/ret.out" 2>"$SCRATCH/ret.err"
check_eq "unknown IDs: exit 1 after importing the rest" 1 "$?"
check "the typo is reported at file:line" grep -q "returned.csv:4: not a reservation ID" "$SCRATCH/ret.err"
check "the unknown resident is reported at file:line" \
    grep -q "returned.csv:5: unknown resident_id: ZZ999" "$SCRATCH/ret.err"
check "the good lines are not reported" test "$(grep -c 'returned.csv:[23]' "$SCRATCH/ret.err")" -eq 0

counts=$(report_section "notices by status")
check_eq "report: two notices returned" "returned 2" "$(echo "$counts" | grep -o 'returned *[0-9]*' | tr -s ' ')"
check_eq "report: the others still published" "published $((published - 2))" \
    "$(echo "$counts" | grep -o 'published *[0-9]*' | tr -s ' ')"
held=$(report_section "residents held")
check "report: A held, with the returned reservation ID" \
    grep -q "^  $a_id .* ${a_rid:0:4}-${a_rid:4:4}-${a_rid:8:4} " <<<"$held"
check "report: B held (found by resident_id)" grep -q "^  $b_id .* ${b_rid:0:4}-" <<<"$held"
check_eq "report: two held" "total 2" "$(echo "$held" | grep -o 'total [0-9]*')"

# Importing the same envelope again changes nothing.
head -2 "$SCRATCH/returned.csv" >"$SCRATCH/again.csv"
check_exit "a second import of the same line succeeds" 0 "$BIN" returned --db "$DB" "$SCRATCH/again.csv"
check_eq "and changes no count" "returned 2" \
    "$(report_section "notices by status" | grep -o 'returned *[0-9]*' | tr -s ' ')"

# The post office's list may carry only one of the ID columns: an absent column is empty.
printf 'resident_id\n%s\n' "$b_id" >"$SCRATCH/only-resident.csv"
check_exit "a file with only a resident_id column imports" 0 \
    "$BIN" returned --db "$DB" "$SCRATCH/only-resident.csv"
printf 'reservation_id\n%s\n' "$a_rid" >"$SCRATCH/only-rid.csv"
check_exit "a file with only a reservation_id column imports" 0 \
    "$BIN" returned --db "$DB" "$SCRATCH/only-rid.csv"

# The next night both are left out as "returned", not as already sent.
check "next run" run_on 2026-12-02 "$SCRATCH/empty"
check_eq "next run leaves both out for returned mail" 2 "$(report_json_count 2026-12-02 returned)"

# The residents system sends A again with a new address: the hold lifts, B stays held.
{
    head -1 "$ROOT/input/sample/residents.csv"
    grep "^$a_id," "$ROOT/input/sample/residents.csv" | awk -F, 'BEGIN{OFS=","} {$6="見本市北町9丁目1番1号"; print}'
} >"$SCRATCH/update.csv"
check "ingest of A's new address" "$BIN" ingest --db "$DB" --config "$DEMO" "$SCRATCH/update.csv"
held=$(report_section "residents held")
check_eq "report: one held after the new address" "total 1" "$(echo "$held" | grep -o 'total [0-9]*')"
check "report: it is B" grep -q "^  $b_id " <<<"$held"
check "run after the new address" run_on 2026-12-03 "$SCRATCH/empty"
check_eq "only B is left out for returned mail" 1 "$(report_json_count 2026-12-03 returned)"

# Refusals that import nothing.
printf 'name,reason\nfoo,bar\n' >"$SCRATCH/noid.csv"
check_exit "a file without an ID column is refused (3)" 3 "$BIN" returned --db "$DB" "$SCRATCH/noid.csv"
check_exit "a missing file (3)" 3 "$BIN" returned --db "$DB" "$SCRATCH/nothere.csv"
check_exit "a missing database (3)" 3 "$BIN" returned --db "$SCRATCH/nothere.db" "$SCRATCH/again.csv"
check "and no database is created" test ! -e "$SCRATCH/nothere.db"
check_exit "returned without a file (2)" 2 "$BIN" returned --db "$DB"
check_exit "report --runs 0 (2)" 2 "$BIN" report --db "$DB" --runs 0
check_exit "report of a missing database (3)" 3 "$BIN" report --db "$SCRATCH/nothere.db"

# The report's history: every run with its exit code, and a failed one listed apart.
check "run 4" run_on 2026-12-04 "$SCRATCH/empty"
check_exit "a run that cannot write its output (5)" 5 "$BIN" run --date 2026-12-05 \
    --input "$SCRATCH/empty" --db "$DB" --out /proc/certnotice-nowhere --config "$DEMO"
runs=$(report_section "runs")
check_eq "report: five runs, newest first" "5 4 3 2 1" \
    "$(echo "$runs" | awk '$1 ~ /^[0-9]+$/ {printf "%s%s", sep, $1; sep=" "}')"
check "report: a run's date, command and exit code" \
    grep -qE '^  1 +2026-12-01 +run .* 0 +letters=' <<<"$runs"
failures=$(report_section "recent failures")
check "report: the failed run is listed with exit 5" grep -qE '^  5 +2026-12-05 +run .* 5 ' <<<"$failures"
check_eq "report: only the failed run" 1 "$(echo "$failures" | grep -cE '^  [0-9]+ ')"
check "report --runs 2 lists two runs" \
    test "$("$BIN" report --db "$DB" --runs 2 | sed -n '/^runs/,/^$/p' | grep -cE '^  [0-9]+ ')" -eq 2

done_testing
