#!/usr/bin/env bash
# The CSV files clerks open in a spreadsheet never carry a live formula: an input folder
# named like one (--input is written as given) reaches rejects.csv as text (a ' before it,
# OWASP's advice); the machine feeds keep their bytes.
source "$(dirname "$0")/lib.sh"
DATE=2026-12-01
IN="$SCRATCH/=HYPERLINK(1)"
mkdir -p "$IN"
sed -n 1,3p "$ROOT/input/sample/residents.csv" > "$IN/residents.csv"
echo '0000009999,山田　太郎,ヤマダ　タロウ,=1+2,100-0012,見本市本町2丁目29番3号,,01,2032-02-19,2027-02-19,2027-02-19,0,0,active,0' \
    >> "$IN/residents.csv"
(cd "$SCRATCH" && "$BIN" run --date "$DATE" --input "=HYPERLINK(1)" --db "$SCRATCH/db" \
    --out "$SCRATCH/out" --config "$CONFIG" 2> "$SCRATCH/log")
check_eq "a run with a rejected record exits 1" 1 $?
REJ="$SCRATCH/out/$DATE/internal/rejects.csv"
sed 's/^/# /' "$REJ"
check "rejects.csv names the file as text, not a formula" \
    grep -q "^\"'=HYPERLINK(1)/residents.csv\",4,birth_date," "$REJ"
check "no cell of rejects.csv starts with a formula character" \
    bash -c "! grep -qE '(^|,)[=+@-]' '$REJ'"
for f in internal/notices.csv internal/review.csv internal/rejects.csv; do
    check "$f: no cell starts with = + - @" \
        bash -c "! grep -qE '(^|,)\"?[=+@-]' '$SCRATCH/out/$DATE/$f'"
done
check "the booking feed keeps its rows (a program reads it)" \
    test "$(wc -l < "$SCRATCH/out/$DATE/booking/reservations.csv")" -ge 2
done_testing
