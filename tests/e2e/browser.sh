#!/usr/bin/env bash
# A resident in a real browser: the nightly job on the sample, page 1 of a letter rendered
# to PNG, its QR code decoded and opened (the config's host mapped to a local server),
# then every page at 360x740 in headless Chromium: book, download the ICS file, cancel,
# book again. Each page is screenshotted into build/browser-shots/ and checked with
# axe-core (WCAG 2.1 A and AA: 0 violations). A missing Debian tool fails; axe-core, which
# npm fetches, is a SKIP per page where npm cannot reach its registry (CI=true: a failure).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/helpers/serve.sh"
DATE=2026-12-01
W="$SCRATCH/w"; mkdir -p "$W"
# its own files only: the staff walk keeps its shots in staff/ here, maybe at this moment
SHOTS="$ROOT/build/browser-shots"; mkdir -p "$SHOTS"; rm -rf "$SHOTS"/*.png "$SHOTS/downloads"

browser_ready
sample_night "$W/cn.db"
rid=$(rid_in_district "$B" "$ROOT/input/sample/residents.csv" 01 1)
tr -d '\r' <"$B/internal/notices.csv" >"$SCRATCH/notices.csv"
row=$(awk -F, -v r="$rid" '$2 == r {print $5","$6}' "$SCRATCH/notices.csv")
file=${row%,*}; seq=${row#*,}
# the letter's first page within its print file: two pages per letter, in sequence order
first_seq=$(awk -F, -v f="$file" 'NR>1 && $5 == f {print $6}' "$SCRATCH/notices.csv" | sort -n | head -1)
page=$(( 2 * (seq - first_seq) + 1 ))
pdftoppm -r 150 -png -f "$page" -l "$page" "$B/print/$file" "$SCRATCH/letter" 2>/dev/null
cp "$SCRATCH"/letter-*.png "$SHOTS/00-letter-page1.png"
qr=$(zbarimg --raw -q "$SCRATCH"/letter-*.png 2>/dev/null | head -1)
check_eq "the letter's QR code decodes to the booking URL with its ID" \
    "HTTP://127.0.0.1:8080/R/$rid" "$qr"

serve_start B "$W/cn.db" 2026-12-03T10:00
url="$SERVE_URL${qr#HTTP://127.0.0.1:8080}"
mmdd=$(bday_of_rid "$B" "" "$rid")
# Debian's python3-selenium: the system interpreter, whatever python3 is first on PATH
mkdir -p "$SCRATCH/tmp" # Chromium leaves org.chromium.* folders in TMPDIR
TMPDIR="$SCRATCH/tmp" /usr/bin/python3 "$ROOT/tests/browser/walk.py" "$url" "$mmdd" "$SHOTS" \
    "$AXE" >"$SCRATCH/walk.tap" 2>"$SCRATCH/walk.err"
rc=$?
walk_tap "$SCRATCH/walk.tap"
check_eq "the walk finished (exit 0)" 0 "$rc"
[ "$rc" -ne 0 ] && sed 's/^/# /' "$SCRATCH/walk.err" | grep -v "^# #[0-9]" | tail -15
"$BIN" export-bookings --db "$W/cn.db" >"$SCRATCH/bookings.csv"
check_eq "one booking stands for the ID after book, cancel, book again" 1 \
    "$(grep -c ",$rid,web" "$SCRATCH/bookings.csv")"
check "screenshots saved for every step" test "$(ls "$SHOTS"/*.png | wc -l)" -ge 20
serve_stop B
done_testing
