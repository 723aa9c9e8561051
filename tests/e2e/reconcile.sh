#!/usr/bin/env bash
# The print vendor's loop closed: `certnotice reconcile` reads the inserter's results
# (file,sequence,status,time). Fixtures built from the night's own record: all mailed,
# some spoiled, duplicate rows, unknown sequences, another batch's letters, a truncated
# file; the same file twice changes nothing; a run killed mid-import keeps nothing and the
# repeat marks nothing twice; night 2 reprints exactly the spoiled letters with the same
# IDs and 再発行; report then names no unaccounted letter.
source "$(dirname "$0")/lib.sh"
D1=2026-12-01
D2=2026-12-02
DB="$SCRATCH/db"
OUT="$SCRATCH/out"
ZERO="$ROOT/templates/municipalities/.e2e-reconcile-$$.xml"
# results-days="0": a letter is unaccounted as soon as it is published without a result.
sed 's/results-days="14"/results-days="0"/' "$CONFIG" > "$ZERO"
trap 'rm -f "$ZERO"; rm -rf "$SCRATCH"' EXIT
night() { "$BIN" run --date "$1" --input "$ROOT/input/sample/residents.csv" --db "$DB" --out "$OUT" \
    --config "$CONFIG" 2>"$SCRATCH/log-$1"; }
state() { sqlite3 "$DB" "SELECT rid, status, batch, file, seq, mailed_at FROM notices ORDER BY rid;
    SELECT batch, seq, file, notice_id, status, at FROM inserter_results ORDER BY batch, seq;"; }
unaccounted() { "$BIN" report --db "$DB" --config "$1" | awk '/^  unaccounted / {print $2}'; }

night "$D1"
check_eq "night 1 publishes" 0 "$?"
N1="$OUT/$D1/internal/notices.csv"
letters=$(($(wc -l < "$N1") - 1))
check "night 1 has letters to reconcile" test "$letters" -gt 5
# One row per letter of night 1: rows 3, 6 and 10 spoiled, the rest mailed.
tr -d '\r' < "$N1" | awk -F, -v b="$D1" 'NR > 1 {
    st = (NR - 1 == 3 || NR - 1 == 6 || NR - 1 == 10) ? "spoiled" : "mailed"
    printf "%s/%s,%06d,%s,2026-12-03 10:%02d:00\n", b, $5, $6, st, (NR - 1) % 60 }' > "$SCRATCH/rows"
spoiled_rids=$(tr -d '\r' < "$N1" | awk -F, 'NR - 1 == 3 || NR - 1 == 6 || NR - 1 == 10 {print $2}' | sort)
{ echo "file,sequence,status,time"; cat "$SCRATCH/rows"; } > "$SCRATCH/results.csv"

# ---- bad rows: each rejected with its line and field, nothing else kept ----
first=$(head -1 "$SCRATCH/rows")
other="${first/$D1\//$D2/}"                                   # another batch's letter
unknown="$D1/notices-001.pdf,000999,mailed,2026-12-03 11:00:00" # no such sequence
wrongfile="${first/notices-001/notices-002}"
cat > "$SCRATCH/bad.csv" <<CSV
file,sequence,status,time
$first
$other
$unknown
$wrongfile
$D1/notices-001.pdf,000002,lost,2026-12-03 11:00:00
$D1/notices-001.pdf,000002,mailed,2026-12-32 11:00:00
notices-001.pdf,000002,mailed,2026-12-03 11:00:00
$D1/notices-001.pdf,abc,mailed,2026-12-03 11:00:00
${first/mailed/spoiled}
$first
CSV
"$BIN" reconcile --db "$DB" "$SCRATCH/bad.csv" > "$SCRATCH/rejects.csv" 2>"$SCRATCH/log-bad"
check_eq "rejected rows: exit 1" 1 "$?"
check_eq "rejects name line and field" \
"file,line,field,reason
3:file
4:sequence
5:file
6:status
7:time
8:file
9:sequence
10:status" \
    "$(tr -d '\r' < "$SCRATCH/rejects.csv" | awk -F, 'NR == 1 {print; next} {print $2 ":" $3}')"
check "another batch's letter is refused as such" grep -q "a letter of batch $D2: this file reconciles batch $D1" "$SCRATCH/rejects.csv"
check "an unknown sequence is refused as such" grep -q "batch $D1 has no letter 000999" "$SCRATCH/rejects.csv"
check "a conflicting second result is refused" grep -q "already has the result mailed" "$SCRATCH/rejects.csv"
check "the good row is kept once, its repeat unchanged" grep -q "mailed=1 spoiled=0 diverted=0 unchanged=1 rejected=8" "$SCRATCH/log-bad"
check_eq "one result kept" 1 "$(sqlite3 "$DB" 'SELECT count(*) FROM inserter_results')"

# ---- a truncated file: the cut row is rejected, the missing letters stay unaccounted ----
head -c -20 "$SCRATCH/results.csv" | head -8 > "$SCRATCH/truncated.csv"
# The writer died after the sequence of the 8th letter's row.
printf '%s' "$(sed -n 9p "$SCRATCH/results.csv" | cut -d, -f1-2)" >> "$SCRATCH/truncated.csv"
"$BIN" reconcile --db "$DB" "$SCRATCH/truncated.csv" > "$SCRATCH/rejects-t.csv" 2>"$SCRATCH/log-t"
check_eq "truncated file: exit 1" 1 "$?"
check_eq "the cut row is rejected at its line, field status" "9,status,missing" \
    "$(tr -d '\r' < "$SCRATCH/rejects-t.csv" | sed -n 2p | cut -d, -f2-)"
check_eq "the letters after the cut are unaccounted" "$((letters - 7))" "$(unaccounted "$ZERO")"

# ---- a crash inside the import keeps nothing of it, the repeat marks nothing twice ----
before=$(state)
bash -c 'CERTNOTICE_FAULT=reconcile_row:5 exec "$0" reconcile --db "$1" "$2"' "$BIN" "$DB" "$SCRATCH/results.csv" >/dev/null 2>&1
check_eq "killed at the 5th row" 137 "$?"
check_eq "nothing of the killed import is kept" "$before" "$(state)"
bash -c 'CERTNOTICE_FAULT=reconcile_commit exec "$0" reconcile --db "$1" "$2"' "$BIN" "$DB" "$SCRATCH/results.csv" >/dev/null 2>&1
check_eq "killed just before the commit" 137 "$?"
check_eq "still nothing kept" "$before" "$(state)"
"$BIN" reconcile --db "$DB" "$SCRATCH/results.csv" > "$SCRATCH/rejects-1.csv" 2>"$SCRATCH/log-1"
check_eq "the whole file: exit 0" 0 "$?"
# The truncated file's 7 rows (2 of them spoiled: rows 3 and 6) are kept already.
check "its new rows are kept, the 7 already there unchanged" \
    grep -q "mailed=$((letters - 3 - 5)) spoiled=1 diverted=0 unchanged=7 rejected=0" "$SCRATCH/log-1"
check_eq "one result per letter" "$letters" "$(sqlite3 "$DB" 'SELECT count(*) FROM inserter_results')"
check_eq "mailed notices are marked with the inserter's time" "$((letters - 3))" \
    "$(sqlite3 "$DB" "SELECT count(*) FROM notices WHERE mailed_at LIKE '2026-12-03 10:%'")"
check_eq "spoiled notices wait to be printed again, same ID" "$spoiled_rids" \
    "$(sqlite3 "$DB" "SELECT rid FROM notices WHERE status = 'issued' ORDER BY rid")"
after=$(state)
"$BIN" reconcile --db "$DB" "$SCRATCH/results.csv" >/dev/null 2>"$SCRATCH/log-2"
check_eq "the same file twice: exit 0" 0 "$?"
check "the same file twice: every row unchanged" grep -q "mailed=0 spoiled=0 diverted=0 unchanged=$letters rejected=0" "$SCRATCH/log-2"
check_eq "the same file twice changes nothing" "$after" "$(state)"
check_eq "night 1 fully accounted for" 0 "$(unaccounted "$ZERO")"

# ---- night 2 reprints exactly the spoiled letters, same IDs, marked 再発行 ----
night "$D2"
check_eq "night 2 publishes" 0 "$?"
N2="$OUT/$D2/internal/notices.csv"
check_eq "night 2 prints exactly the 3 spoiled letters, with their IDs" "$spoiled_rids" \
    "$(tr -d '\r' < "$N2" | awk -F, 'NR > 1 {print $2}' | sort)"
check_eq "each reprint says 再発行" 3 "$(pdftotext "$OUT/$D2/print/notices-001.pdf" - 2>/dev/null | grep -c '再発行')"
check_eq "night 1's letters were not marked 再発行" 0 \
    "$(pdftotext "$OUT/$D1/print/notices-001.pdf" - 2>/dev/null | grep -c '再発行')"
pdftoppm -r 150 -gray -f 1 -l 1 "$OUT/$D2/print/notices-001.pdf" "$SCRATCH/n2" 2>/dev/null
check_eq "the reprint's DataMatrix names night 2's batch" "$D2|1|000001|1|2|" \
    "$(dmtxread -N1 -x 70% -y 85% "$SCRATCH"/n2-*.pgm 2>/dev/null | head -1 | sed 's/[0-9]$//')"
check_eq "report: 0 unaccounted (within results-days)" 0 "$(unaccounted "$CONFIG")"
check_eq "report with results-days 0 names the 3 reprints until their results come" 3 "$(unaccounted "$ZERO")"
tr -d '\r' < "$N2" | awk -F, -v b="$D2" 'BEGIN {print "file,sequence,status,time"}
    NR > 1 {printf "%s/%s,%s,MAILED,2026-12-04T09:00\n", b, $5, $6}' > "$SCRATCH/results-2.csv"
"$BIN" reconcile --db "$DB" "$SCRATCH/results-2.csv" >/dev/null 2>"$SCRATCH/log-3"
check_eq "night 2's results (all mailed): exit 0" 0 "$?"
check_eq "report: 0 unaccounted, even at results-days 0" 0 "$(unaccounted "$ZERO")"
check "report lists reconcile runs" bash -c "'$BIN' report --db '$DB' | grep -q 'reconcile'"
check_exit "a missing column refuses the file (exit 3)" 3 bash -c \
    "printf 'file,sequence,status\n' > '$SCRATCH/nocol.csv'; '$BIN' reconcile --db '$DB' '$SCRATCH/nocol.csv'"
done_testing
