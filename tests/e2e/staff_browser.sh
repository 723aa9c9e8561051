#!/usr/bin/env bash
# A clerk in a real browser (tests/browser/staff_walk.py): login, a phone booking, the day
# list, a mark, closures, logout, each page at 360 and 1280 px in headless Chromium with
# axe-core (WCAG 2.1 A and AA: 0 violations), screenshots into build/browser-shots/staff/.
# The day list printed by Chromium is one A4 page with the booking's row on it.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/helpers/serve.sh"
DATE=2026-12-01
W="$SCRATCH/w"; mkdir -p "$W"
SHOTS="$ROOT/build/browser-shots/staff"; rm -rf "$SHOTS"; mkdir -p "$SHOTS"
browser_ready
sample_night "$W/cn.db"
rid=$(rid_in_district "$B" "$ROOT/input/sample/residents.csv" 01 1)
mmdd=$(bday_of_rid "$B" "" "$rid")
PW='counter walk pass 1'
check_exit "a staff account for every office" 0 bash -c \
    "printf '%s\n%s\n' '$PW' '$PW' | '$BIN' staff --db '$W/cn.db' --config '$CONFIG' add walker --all"
serve_start B "$W/cn.db" 2026-12-03T10:00
/usr/bin/python3 "$ROOT/tests/browser/staff_walk.py" "$SERVE_URL" walker "$PW" "$rid" "$mmdd" \
    2026-12-10 "$SHOTS" "$AXE" \
    >"$SCRATCH/walk.tap" 2>"$SCRATCH/walk.err"
rc=$?
walk_tap "$SCRATCH/walk.tap"
check_eq "the walk finished (exit 0)" 0 "$rc"
[ "$rc" -ne 0 ] && sed 's/^/# /' "$SCRATCH/walk.err" | tail -15
check_eq "the phone booking records the clerk" walker \
    "$(sqlite3 "$W/cn.db" "SELECT by_whom FROM bookings WHERE rid='$rid' AND status='active'")"
check_eq "the mark made in the browser is on the booking" arrived \
    "$(sqlite3 "$W/cn.db" "SELECT attendance FROM bookings WHERE rid='$rid' AND status='active'")"
pdf="$SHOTS/day-list.pdf"
check "the printed day list: one A4 portrait page" bash -c \
    "pdfinfo '$pdf' | grep -q '^Pages: *1$' && pdfinfo '$pdf' | grep -Eq '^Page size: *59[0-9](\.[0-9]+)? x 84[0-9]'"
disp="${rid:0:4}-${rid:4:4}-${rid:8:4}"
check "the printed day list holds the row, without the buttons and the menu" bash -c \
    "pdftotext '$pdf' - | grep -q '$disp' && ! pdftotext '$pdf' - | grep -q -e 'ログアウト' -e '不在'"
pdftoppm -r 60 -png -f 1 -l 1 "$pdf" "$SHOTS/day-list-print" 2>/dev/null
check "the printed page rendered to PNG" bash -c "ls '$SHOTS'/day-list-print*.png"
check "screenshots at both widths for every page" test "$(ls "$SHOTS"/*-360.png | wc -l)" -ge 9
serve_stop B
done_testing
