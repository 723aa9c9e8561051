#!/usr/bin/env bash
# Reprints: the same reservation ID in a batch of its own, by reservation or resident ID,
# recorded in the audit log, and never mistaken for a new letter by the nightly run; a
# SIGTERM stops a reprint cleanly, as it stops a run.
source "$(dirname "$0")/lib.sh"
DATE=2026-12-01
W="$SCRATCH"
common=(--db "$W/db" --out "$W/out" --config "$CONFIG")
"$BIN" run --date "$DATE" --input "$ROOT/input/sample/residents.csv" "${common[@]}" 2>/dev/null
rid=$(awk -F, 'NR==2 {print $2}' "$W/out/$DATE/internal/notices.csv")
resident=$(awk -F, 'NR==3 {print $1}' "$W/out/$DATE/internal/notices.csv")
rid2=$(awk -F, 'NR==3 {print $2}' "$W/out/$DATE/internal/notices.csv")
typed=$(echo "${rid:0:4} ${rid:4:4}-${rid:8:4}" | tr 'A-Z' 'a-z')

check_exit "reprint by reservation ID as a person types it" 0 \
    "$BIN" reprint --date 2026-12-02 "${common[@]}" "$typed"
R="$W/out/2026-12-02-reprint"
check "reprint batch folder published" test -f "$R/print/notices-001.pdf"
check_eq "one letter reprinted" "1" "$(tail -n +2 "$R/internal/notices.csv" | wc -l)"
check_eq "same reservation ID" "$rid" "$(awk -F, 'NR==2 {print $2}' "$R/internal/notices.csv")"
pdftoppm -r 150 -png -f 1 -l 1 "$R/print/notices-001.pdf" "$W/rp"
check_eq "its QR code carries the same ID" "HTTP://127.0.0.1:8080/R/$rid" \
    "$(zbarimg --raw -q "$W"/rp-*.png 2>/dev/null | head -1)"
pdftotext "$R/print/notices-001.pdf" "$W/rp.txt"
check "the letter is marked as a reprint" grep -q "再発行" "$W/rp.txt"
check "sha256sum -c passes on the reprint batch" bash -c "cd '$R/print' && sha256sum --quiet -c SHA256SUMS"
check_eq "audit records the reprint" 1 \
    "$(sqlite3 "$W/db" "select count(*) from audit where event='reprint' and detail like 'rid=$rid %'")"

check_exit "reprint by resident ID" 0 "$BIN" reprint --date 2026-12-02 "${common[@]}" "$resident"
check_eq "a second reprint batch of the day gets its own folder" "$rid2" \
    "$(awk -F, 'NR==2 {print $2}' "$W/out/2026-12-02-reprint-2/internal/notices.csv")"

check_exit "an unknown ID is refused" 2 "$BIN" reprint "${common[@]}" NOSUCHRESIDENT
held=$(tr -d '\r' < "$W/out/$DATE/internal/review.csv" | awk -F, '$NF == "held" {print $2; exit}')
check_exit "a letter held for review is never reprinted" 2 "$BIN" reprint "${common[@]}" "$held"
check_exit "no ID is a usage error" 2 "$BIN" reprint "${common[@]}"

# SIGTERM while the letters render: the reprint stops as the run does (the stop handler of
# pipeline/night.c), nothing published, no partial folder, the run recorded as stopped; the
# same reprint then goes through.
before=$(ls "$W/out" | sort | tr '\n' ' ')
CERTNOTICE_FAULT=render CERTNOTICE_FAULT_SIGNAL=TERM check_exit \
    "SIGTERM during a reprint's rendering: exit 7" 7 "$BIN" reprint --date 2026-12-05 "${common[@]}" "$rid"
cp "$SCRATCH/.last" "$W/stop.log"
check "... the log says it was interrupted" grep -q 'interrupted by SIGTERM' "$W/stop.log"
check_eq "... nothing published" "$before" "$(ls "$W/out" | sort | tr '\n' ' ')"
check "... no partial folder" bash -c "! ls -a '$W/out' | grep -q '^\.'[^.]"
check_eq "... report's row for it says exit 7" "7" \
    "$(sqlite3 "$W/db" "select exit_code from runs where command='reprint' order by id desc limit 1")"
check_exit "the same reprint again: published" 0 "$BIN" reprint --date 2026-12-05 "${common[@]}" "$rid"
check "... in its folder" test -f "$W/out/2026-12-05-reprint/print/notices-001.pdf"

# The letter decides whether its ID books, not today's config: a walk-in district's letter
# reprinted after the district turned to bookings still says "walk in", so the reprint's
# booking feed and export-reservations both leave its ID out (notice_booking).
walkin=$(awk -F, '$4 ~ /-N/ {print $2; exit}' "$W/out/$DATE/internal/notices.csv")
check "the sample has a walk-in district's letter" test -n "$walkin"
city=$(demo_city 's/policy="none" offices="south"/policy="required" offices="main"/')
check_exit "reprint a walk-in letter under a config where its district books" 0 \
    "$BIN" reprint --date 2026-12-02 --db "$W/db" --out "$W/out" \
    --config "$city" "$walkin"
check_eq "its variant is the stored one (walk-in)" "1" \
    "$(grep -c "$walkin,.*-N" "$W/out/2026-12-02-reprint-3/internal/notices.csv")"
check_eq "the reprint's booking feed leaves the walk-in ID out" "" \
    "$(grep -h "$walkin" "$W/out/2026-12-02-reprint-3/booking/reservations.csv")"
check_eq "export-reservations leaves it out too" "" \
    "$("$BIN" export-reservations --db "$W/db" 2>/dev/null | grep "$walkin")"

"$BIN" run --date 2026-12-03 --input "$ROOT/input/sample/residents.csv" "${common[@]}" 2>/dev/null
check_eq "the next nightly run sends no reprinted letter again" "" \
    "$(grep -h "$rid" "$W/out/2026-12-03/internal/notices.csv")"
done_testing
