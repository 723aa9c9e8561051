#!/usr/bin/env bash
# The nightly job end to end on the bundled sample: PDFs that pass qpdf with embedded
# fonts, QR codes that decode to the letter's own reservation ID, the feeds, the report,
# a rerun that adds no letter, dry runs, private files and the exit codes.
source "$(dirname "$0")/lib.sh"
CONFIG="$ROOT/templates/municipalities/demo.xml"
DATE=2026-12-01
W="$SCRATCH/w"; mkdir -p "$W"
cp "$ROOT/input/sample/residents.csv" "$SCRATCH/residents.csv"
run() { "$BIN" run --date "$DATE" --input "$SCRATCH/residents.csv" --db "$W/state.db" \
        --out "$W/out" --config "$CONFIG" "$@"; }
json() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2], {"d": d}))' "$@"; }

check_exit "nightly run on the sample exits 0" 0 run
B="$W/out/$DATE"
check "batch folder published with print/, booking/, internal/" \
    test -d "$B/print" -a -d "$B/booking" -a -d "$B/internal"
check "no partial folder left" bash -c "! ls -a '$W/out' | grep -q partial"
check "qpdf --check passes on every PDF" bash -c "for f in '$B'/print/*.pdf; do qpdf --check \"\$f\" >/dev/null || exit 1; done"
check "pdffonts: every font embedded" bash -c "for f in '$B'/print/*.pdf; do pdffonts \"\$f\" | tail -n +3 | awk '{ if (\$(NF-4) != \"yes\") bad=1 } END { exit bad }' || exit 1; done"
check "pdffonts lists IPAex" bash -c "pdffonts '$B/print/notices-001.pdf' | grep -q IPAex"

letters=$(json "$B/internal/report.json" 'd["print"]["letters"]')
rows=$(($(wc -l < "$B/internal/notices.csv") - 1))
check_eq "report letters equal notices.csv rows" "$letters" "$rows"
check "letters were printed" test "$letters" -ge 15
pages=$(pdfinfo "$B/print/notices-001.pdf" | awk '/^Pages:/ {print $2}')
check_eq "two pages per letter" "$((2 * letters))" "$pages"

# Sequence 1: decode its QR code, find the ID in the booking feed and on the page.
first=$(awk -F, 'NR==2 {print $1","$2}' "$B/internal/notices.csv")
rid=${first#*,}; resident=${first%,*}
pdftoppm -r 150 -png -f 1 -l 1 "$B/print/notices-001.pdf" "$SCRATCH/p1"
qr=$(zbarimg --raw -q "$SCRATCH"/p1-*.png 2>/dev/null | head -1)
check_eq "QR of letter 1 decodes to its booking URL" "HTTP://127.0.0.1:8080/R/$rid" "$qr"
check "its reservation ID is in booking/reservations.csv" grep -q "^$rid," "$B/booking/reservations.csv"
pdftotext -f 1 -l 2 "$B/print/notices-001.pdf" "$SCRATCH/p1.txt"
name=$(awk -F, -v id="$resident" '$1 == id {print $2}' "$SCRATCH/residents.csv")
check "page text carries the resident's name" grep -q "${name%%　*}" "$SCRATCH/p1.txt"
display="${rid:0:4}-${rid:4:4}-${rid:8:4}"
check "page text carries the reservation ID" grep -q "$display" "$SCRATCH/p1.txt"

# Every QR code of the batch decodes to its own letter's ID (pages 1, 3, 5, ...).
pdftoppm -r 150 -png -o "$B/print/notices-001.pdf" "$SCRATCH/all"
zbarimg --raw -q "$SCRATCH"/all-*.png 2>/dev/null | sed 's|.*/||' | sort > "$SCRATCH/qr-ids"
awk -F, 'NR>1 {print $1}' "$B/booking/reservations.csv" | sort > "$SCRATCH/feed-ids"
check "every QR code decodes to an ID of the booking feed, and every booked ID has one" \
    diff "$SCRATCH/qr-ids" "$SCRATCH/feed-ids"

# A lapsed certificate's letter offers a new issue, not a window that has passed.
xseq=$(tr -d '\r' < "$B/internal/notices.csv" | awk -F, 'NR>1 && $4 ~ /-X/ {print $6; exit}')
pdftotext -layout -f $((2 * xseq - 1)) -l $((2 * xseq - 1)) "$B/print/notices-001.pdf" "$SCRATCH/x.txt"
check "the expired letter asks to book a new issue" grep -q "新規発行の予約" "$SCRATCH/x.txt"
check "the expired letter names no renewal window to wait for" bash -c "test -s '$SCRATCH/x.txt' && ! grep -q '初日から受け付けます' '$SCRATCH/x.txt'"

# The feeds and what they must not carry.
check_eq "reservations.csv header" "reservation_id,window_start,window_end,cert_expiry,district,birth_mmdd" \
    "$(head -1 "$B/booking/reservations.csv" | tr -d '\r')"
check "booking feed carries no name or address (no Japanese text)" \
    bash -c "! LC_ALL=C grep -q -P '[\x80-\xff]' '$B/booking/reservations.csv'"
check "walk-in district 03 letters are not in the booking feed" \
    bash -c "! awk -F, 'NR>1 && \$5 == \"03\"' '$B/booking/reservations.csv' | grep -q ."
check "walk-in district 03 letters are printed" \
    bash -c "awk -F, 'NR>1 && \$8 == \"03\" {print \$1}' '$SCRATCH/residents.csv' | grep -qFf - '$B/internal/notices.csv'"

# Exclusions are counted by reason.
for reason in deceased moved_out hold card_renewal not_yet_due; do
    n=$(json "$B/internal/report.json" "d['select']['excluded']['$reason']")
    check "report counts exclusion $reason" test "$n" -ge 1
done
pdftotext "$B/print/notices-001.pdf" "$SCRATCH/all.txt"
check "the name outside the BMP prints (IPAmj明朝)" grep -q '𠮷田' "$SCRATCH/all.txt"
check "a gaiji the gaiji map lacks is held for review, named" \
    bash -c "grep -q 'gaiji U+E0A5 is not in the gaiji map.*held' '$B/internal/review.csv' && ! grep -q '良子' '$SCRATCH/all.txt'"
check "an address without a number is printed without barcode and listed for review" \
    bash -c "grep -q 'printed without customer barcode.*printed' '$B/internal/review.csv'"
check_eq "report counts the letter without barcode" 1 "$(json "$B/internal/report.json" 'd["check"]["no_barcode"]')"
check "rejects.csv has only its header" test "$(wc -l < "$B/internal/rejects.csv")" -eq 1

# Files are the owner's alone.
check "PDFs, feeds and database are mode 0600" bash -c \
    "for f in '$B'/print/*.pdf '$B'/booking/*.csv '$B'/internal/*.csv '$W/state.db'; do [ \$(stat -c %a \"\$f\") = 600 ] || { echo \$f; exit 1; }; done"

# A second run on the same date and input adds no letter and keeps every ID.
before=$(sqlite3 "$W/state.db" "select count(*), group_concat(rid) from notices")
check_exit "second run exits 0" 0 run
B2="$W/out/$DATE-2"
check_eq "second run prints no letter" 0 "$(json "$B2/internal/report.json" 'd["print"]["letters"]')"
check_eq "second run issues no new ID" "$before" "$(sqlite3 "$W/state.db" "select count(*), group_concat(rid) from notices")"
check_eq "the input file is not loaded twice" 1 "$(json "$B2/internal/report.json" 'd["ingest"]["skipped"]')"

# A dry run counts everything and writes nothing.
rm -rf "$W/dry"; mkdir -p "$W/dry"
"$BIN" run --date "$DATE" --input "$SCRATCH/residents.csv" --db "$W/dry/state.db" \
    --out "$W/dry/out" --config "$CONFIG" --dry-run > "$SCRATCH/dry.json" 2>/dev/null
check_eq "dry run counts the same letters" "$letters" "$(json "$SCRATCH/dry.json" 'd["print"]["letters"]')"
check "dry run writes no batch" test ! -e "$W/dry/out"
check_eq "dry run keeps no notice" 0 "$(sqlite3 "$W/dry/state.db" 'select count(*) from notices')"

# A refused file costs nothing else: the other file's letters are published, exit 3.
mkdir -p "$SCRATCH/in3"
cp "$SCRATCH/residents.csv" "$SCRATCH/in3/"
printf 'resident_id,name,my_number\r\n1,x,123456789012\r\n' > "$SCRATCH/in3/bad.csv"
"$BIN" run --date "$DATE" --input "$SCRATCH/in3" --db "$W/r3.db" --out "$W/r3" \
    --config "$CONFIG" 2>"$SCRATCH/r3.log"
check_eq "a file with an individual-number column gives exit 3" 3 "$?"
check_eq "the good file's letters are still published" "$letters" \
    "$(json "$W/r3/$DATE/internal/report.json" 'd["print"]["letters"]')"
check "the refusal names the file, line and column" grep -q 'bad.csv:1:.*my_number' "$SCRATCH/r3.log"
check "the log ends with a summary line" grep -q 'stage=summary msg="batch=.* letters=.* exit=3"' "$SCRATCH/r3.log"
check "nothing of the refused file is stored" test "$(sqlite3 "$W/r3.db" "select count(*) from residents where resident_id = '1'")" = 0

# Exit codes.
check_exit "bad --date is a usage error (2)" 2 run --date 2027-02-30
check_exit "missing config is a configuration error (2)" 2 \
    "$BIN" run --date "$DATE" --input "$SCRATCH" --db "$W/x.db" --out "$W/x" --config /nonexistent.xml
check_exit "a held lock on the database file gives exit 4" 4 flock "$W/state.db" "$BIN" run --date "$DATE" \
    --input "$SCRATCH/residents.csv" --db "$W/state.db" --out "$W/out" --config "$CONFIG"
mkdir -p "$W/ro"; chmod 500 "$W/ro"
if [ "$(id -u)" -ne 0 ]; then
    check_exit "unwritable output folder gives exit 5" 5 "$BIN" run --date "$DATE" \
        --input "$SCRATCH/residents.csv" --db "$W/state.db" --out "$W/ro/out" --config "$CONFIG"
fi
done_testing
