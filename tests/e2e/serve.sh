#!/usr/bin/env bash
# The booking service over HTTP (curl): the start page's cases (typo, unknown ID, walk-in
# district, not open yet, expired, booked), the birthday and its lockout, full slots, the
# cutoff, CSRF, oversized and malformed requests, security headers, a whole booking with
# its ICS file, change and cancel, the counter's CSV, and logs without full IDs; the config's
# <booking store> used by serve, feed import, export-bookings and staff without --db (--db
# winning, a bad value named by file, line and attribute, a URI's password masked).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/helpers/serve.sh"
DATE=2026-12-01
W="$SCRATCH/w"; mkdir -p "$W"
sample_night "$W/cn.db"
# rid_of DISTRICT [N]: the N-th reservation ID (from 1) of a due letter in that district.
rid_of() { rid_in_district "$B" "$ROOT/input/sample/residents.csv" "$@"; }
bday_of() { bday_of_rid "$B" "$ROOT/input/sample/residents.csv" "$1"; }
bday_m() { local b; b=$(bday_of "$1"); echo $((10#${b:0:2})); }
bday_d() { local b; b=$(bday_of "$1"); echo $((10#${b:2:2})); }

serve_start A "$W/cn.db" 2026-12-03T10:00
U="$SERVE_URL"

# ---- the start page's cases -------------------------------------------------------------
R1=$(rid_of 01 1)
bad="${R1:0:11}$( [ "${R1:11:1}" = 2 ] && echo 3 || echo 2)"
get "$U/R/$bad"
check_eq "ID with a typo: 200" 200 "$STATUS"
check "ID with a typo: an error summary, prefixed エラー, offering the form" \
    grep -q '<title>エラー: 予約IDの入力' "$BODY"
check "ID with a typo: the typed ID kept in the form" grep -q "value=\"$bad\"" "$BODY"
get "$U/R?rid=$(echo "$R1" | tr 'A-Z' 'a-z' | sed 's/..../&-/g; s/-$//')"
check_eq "the ID typed in lower case with hyphens: redirected to /R/ID" "303 /R/$R1" \
    "$STATUS $(location)"

other=$(mktemp -d "$SCRATCH/o.XXXX")
"$BIN" run --date "$DATE" --input "$ROOT/input/sample" --db "$other/cn.db" --out "$other/out" \
    --config "$CONFIG" >/dev/null 2>&1
unknown=$(awk -F, 'NR==2 {print $2}' "$other/out/$DATE/internal/notices.csv")
get "$U/R/$unknown"
check_eq "an unknown ID: 404" 404 "$STATUS"
check "an unknown ID: the phone number" grep -q '0120-000-001' "$BODY"

walkin=$(rid_of 03 1)
get "$U/R/$walkin"
check "a walk-in district: no booking, where to go and when" \
    bash -c "grep -q '予約は不要です' '$BODY' && grep -q '南部市民センター' '$BODY' && grep -q '受付時間' '$BODY'"
check "a walk-in district: no start button" bash -c "! grep -q 'href=\"/birthday\"' '$BODY'"

get "$U/R/$R1"
check_eq "a due ID: 200" 200 "$STATUS"
check "a due ID: the start button, and no renewal window before the birthday (it gives the expiry away)" \
    bash -c "! grep -q '更新できる期間' '$BODY' && grep -q 'href=\"/birthday\"' '$BODY'"
expired=$(rid_expired "$B" 01)
get "$U/R/$expired"
check "an expired certificate: 新規発行 guidance (and booking, as demo's main office allows)" \
    bash -c "grep -q '新規発行' '$BODY' && grep -q 'href=\"/birthday\"' '$BODY'"

sed 's/after-expiry="true"/after-expiry="false"/' "$CONFIG" >"$SCRATCH/noexpiry.xml"
serve_start NOEXP "$W/cn.db" 2026-12-03T10:00 "$SCRATCH/noexpiry.xml"
get "$SERVE_URL/R/$expired"
check "an expired certificate where no office books after expiry: 新規発行 guidance, the phone, no booking" \
    bash -c "grep -q '新規発行' '$BODY' && grep -q 'インターネットで予約できません' '$BODY' && grep -q '0120-000-001' '$BODY' && ! grep -q 'href=\"/birthday\"' '$BODY'"
serve_stop NOEXP

serve_start EARLY "$W/cn.db" 2026-11-30T12:00
get "$SERVE_URL/R/$R1"
check "before the letter's date: from when booking opens" \
    bash -c "grep -q '予約の受付はまだ始まっていません' '$BODY' && grep -q '2026年12月1日' '$BODY'"
serve_stop EARLY

# ---- headers -------------------------------------------------------------------------
for path in "/" "/R/$R1" "/nope" "/style.css"; do
    get "$U$path"
    check "security headers on GET $path ($STATUS)" has_security_headers
done
new_session "$U"; get "$U/R/$R1"
check "session cookie: HttpOnly, SameSite, Secure even over plain HTTP (it authorises changes)" \
    grep -qi '^set-cookie: cn_sid=[0-9a-f]*; Path=/; HttpOnly; SameSite=Lax; Secure' "$HEAD"

# ---- birthday ------------------------------------------------------------------------
R2=$(rid_of 01 2)
new_session "$U"; get "$U/R/$R2"; get "$U/birthday"
check "birthday page: inputs bday-month and bday-day with their autocomplete tokens" \
    bash -c "grep -q 'name=\"bday-month\"[^>]*autocomplete=\"bday-month\"\|autocomplete=\"bday-month\"' '$BODY' && grep -q 'autocomplete=\"bday-day\"' '$BODY' && grep -q 'name=\"bday-day\"' '$BODY'"
post "$U/birthday" "bday-month=&bday-day="
check "birthday empty: error summary with エラー" \
    bash -c "grep -q '<title>エラー: ' '$BODY' && grep -q '誕生日の月と日を入力してください' '$BODY'"
post "$U/birthday" "bday-month=13&bday-day=1"
check "birthday month 13: said so, typed value kept" \
    bash -c "grep -q '月は1から12' '$BODY' && grep -q 'value=\"13\"' '$BODY'"
good=$(bday_of "$R2"); gm=$((10#${good:0:2})); gd=$((10#${good:2:2}))
wm=$(( gm % 12 + 1 ))
for i in 1 2 3 4; do
    post "$U/birthday" "bday-month=$wm&bday-day=$gd"
done
check "4th wrong birthday: one try left" grep -q 'あと1回' "$BODY"
post "$U/birthday" "bday-month=$wm&bday-day=$gd"
check_eq "5th wrong birthday: 429" 429 "$STATUS"
check "5th wrong birthday: locked for 30 minutes, with the phone number" \
    bash -c "grep -q 'この予約IDは' '$BODY' && grep -q '0120-000-001' '$BODY'"
post "$U/birthday" "bday-month=$gm&bday-day=$gd"
check_eq "locked: even the right birthday is refused" 429 "$STATUS"
new_session "$U"; get "$U/R/$R2"; get "$U/birthday"
check_eq "locked: a new session is refused too" 429 "$STATUS"

# ---- CSRF, body size, malformed -----------------------------------------------------
R3=$(rid_of 01 3)
new_session "$U"; get "$U/R/$R3"; get "$U/birthday"
code=$(curl -s -o "$BODY" -w '%{http_code}' -b "$JAR" -d "bday-month=1&bday-day=1" "$U/birthday")
check_eq "POST without a CSRF token: 403" 403 "$code"
check "403 has a page and no internals" bash -c "grep -q '最初からやり直して' '$BODY' && ! grep -qi 'sqlite\|\.c:\|csrf' '$BODY'"
code=$(curl -s -o /dev/null -w '%{http_code}' -b "$JAR" -d "csrf=00000000000000000000000000000000&bday-month=1&bday-day=1" "$U/birthday")
check_eq "POST with a wrong CSRF token: 403" 403 "$code"
code=$(curl -s -o /dev/null -w '%{http_code}' -d "csrf=$CSRF&bday-month=1&bday-day=1" "$U/birthday")
check_eq "POST without the session cookie: 403" 403 "$code"
head -c 20000 /dev/zero | tr '\0' 'a' >"$SCRATCH/big"
code=$(curl -s -o "$BODY" -D "$HEAD" -w '%{http_code}' -b "$JAR" --data-binary "@$SCRATCH/big" "$U/birthday")
check_eq "an oversized body: 413" 413 "$code"
check "413 has a page and the security headers" bash -c "grep -q '大きすぎます' '$BODY' && grep -qi '^content-security-policy' '$HEAD'"
code=$(curl -s -o "$BODY" -w '%{http_code}' -b "$JAR" -d "csrf=$CSRF&bday-month=%zz" "$U/birthday")
check_eq "a malformed form: 400" 400 "$code"
check "400 has a page" grep -q '読み取れませんでした' "$BODY"
code=$(curl -s -o /dev/null -w '%{http_code}' -b "$JAR" -H 'Content-Type: text/plain' --data "csrf=$CSRF" "$U/birthday")
check_eq "a POST that is not a form: 400" 400 "$code"
code=$(curl -s -o /dev/null -w '%{http_code}' -X DELETE "$U/")
check_eq "another method: 405" 405 "$code"
code=$(curl -s -o /dev/null -w '%{http_code}' "$U/R?rid=%FF")
check_eq "a query that is not UTF-8: 400" 400 "$code"

# ---- a whole booking ------------------------------------------------------------------
cp "$JAR" "$SCRATCH/before.jar"
post "$U/birthday" "bday-month=$(bday_m "$R3")&bday-day=$(bday_d "$R3")"
code=$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' -b "$SCRATCH/before.jar" "$U/date")
check_eq "right birthday: the session gets a new token, the old one is worth nothing" \
    "303 $U/" "$code"
check_eq "right birthday: one bookable office, straight to the date" "303 /date" "$STATUS $(location)"
get "$U/date"
check "date page: radios named date with YYYY-MM-DD values and seats left" \
    bash -c "grep -q 'name=\"date\" id=\"date-0\" value=\"2026-12-04\"' '$BODY' && grep -q '残り' '$BODY'"
check "date page: 12/29-1/3 and the 3rd Sunday not offered" \
    bash -c "! grep -q 'value=\"2026-12-29\"\|value=\"2027-01-02\"\|value=\"2026-12-20\"' '$BODY'"
check "date page: nothing past the 40-day horizon" bash -c "! grep -q 'value=\"2027-01-13\"' '$BODY'"
post "$U/date" "date=2026-12-03"
check "today is past the cutoff: refused" grep -q '予約を受け付けていません' "$BODY"
post "$U/date" ""
check "no date chosen: error summary" bash -c "grep -q '<title>エラー: ' '$BODY' && grep -q '来庁する日を選んでください' '$BODY'"
post "$U/date" "date=2026-12-06"
check_eq "a Sunday is bookable at the main office" "303 /slot" "$STATUS $(location)"
get "$U/slot"
check "slot page: lunch 12:00-13:00 on Sunday has no slot" \
    bash -c "grep -q 'value=\"11:30\"' '$BODY' && ! grep -q 'value=\"12:00\"' '$BODY' && grep -q 'value=\"13:00\"' '$BODY'"
post "$U/slot" "slot=12:00"
check "a slot in the lunch closure is refused" grep -q '予約できません' "$BODY"
post "$U/slot" "slot=09:00"
check_eq "slot chosen: check your answers" "303 /check" "$STATUS $(location)"
get "$U/check"
check "check page: office, date, time and a confirm button" \
    bash -c "grep -q '見本市役所 市民課' '$BODY' && grep -q '2026年12月6日（日）' '$BODY' && grep -q '9:00〜9:30' '$BODY' && grep -q 'この内容で予約する' '$BODY'"
post "$U/check" ""
check_eq "confirmed: the confirmation page" "303 /done" "$STATUS $(location)"
get "$U/done"
check "confirmation: reference, address, date, time, what to bring" \
    bash -c "grep -q 'Y[1-9][0-9]\\{8\\}' '$BODY' && grep -q '見本市中央一丁目1番1号' '$BODY' && grep -q '9:00〜9:30' '$BODY' && grep -q 'お持ちいただくもの' '$BODY'"
get "$U/booking.ics"
check "ICS: text/calendar, CRLF, the slot in UTC, the office address" \
    bash -c "grep -qi '^content-type: text/calendar' '$HEAD' && grep -q \$'^BEGIN:VCALENDAR\r\$' '$BODY' && grep -q 'DTSTART:20261206T000000Z' '$BODY' && tr -d '\r\n ' < '$BODY' | grep -q '見本市中央一丁目1番1号'"
get "$U/print"
check "print page" bash -c "grep -q '印刷用' '$BODY' && grep -q '9:00〜9:30' '$BODY'"
get "$U/R/$R3"
check "start page of a booked ID, before the birthday: that it is booked, with change and cancel" \
    bash -c "grep -q '予約済みです' '$BODY' && grep -q 'intent=change' '$BODY' && grep -q 'intent=cancel' '$BODY'"
check "... and nothing of the booking: no office, address, date, time or number" \
    bash -c "! grep -q -e '見本市役所' -e '見本市中央一丁目1番1号' -e '12月6日' -e '9:00〜9:30' -e 'Y[0-9]\\{6\\}' '$BODY'"
for rid in "$R1" "$walkin" "$expired"; do curl -s "$U/R/$rid" | grep -q '更新できる期間' && echo "$rid"; done >"$SCRATCH/windows"
check_eq "no start page shows the renewal window before the birthday" "" "$(cat "$SCRATCH/windows")"

# change: a new slot, the old one freed in the same transaction
get "$U/birthday?intent=change"
check_eq "change: straight on (already verified in this session)" "303 /date" "$STATUS $(location)"
post "$U/date" "date=2026-12-07"; post "$U/slot" "slot=10:00"; get "$U/check"
check "change: the check page names the booking it replaces" grep -q '今の予約' "$BODY"
post "$U/check" ""
"$BIN" export-bookings --db "$W/cn.db" >"$SCRATCH/all.csv"
check_eq "export-bookings: header (the counter's six columns first)" \
    "reference,date,time,office,reservation_id,booked_by,status,reason,attendance,attended_at,created_at,changed_at,exported_at" \
    "$(head -1 "$SCRATCH/all.csv" | tr -d '\r')"
check "export-bookings: the changed booking only" \
    bash -c "grep -q '2026-12-07,10:00,main,$R3,web,active,,' '$SCRATCH/all.csv' && ! cut -d, -f2 '$SCRATCH/all.csv' | grep -qx '2026-12-06'"
"$BIN" export-bookings --db "$W/cn.db" --since 2000-01-01 >"$SCRATCH/since.csv"
check "export-bookings --since: the replaced booking too, cancelled with its reason" \
    bash -c "grep -q '2026-12-06,.*,$R3,web,cancelled,changed,' '$SCRATCH/since.csv' &&
             grep -q '2026-12-07,10:00,main,$R3,web,active,,' '$SCRATCH/since.csv'"

# cancel: a GET only asks; the POST cancels
get "$U/birthday?intent=cancel"; get "$U/cancel"
check "cancel: a confirm step with a POST button" \
    bash -c "grep -q 'この予約を取り消しますか' '$BODY' && grep -q 'method=\"post\" action=\"/cancel\"' '$BODY'"
check "cancel: the GET cancelled nothing" grep -q "$R3" <("$BIN" export-bookings --db "$W/cn.db")
post "$U/cancel" ""
check "cancel: done" grep -q '予約を取り消しました' "$BODY"
check "cancel: gone from the counter's list" bash -c "! '$BIN' export-bookings --db '$W/cn.db' | grep -q '$R3'"

# ---- full slots and the cutoff ---------------------------------------------------------
book() { # RID DATE SLOT: a whole booking in a fresh session; STATUS/BODY of the last step
    new_session "$U"; get "$U/R/$1"; get "$U/birthday"
    post "$U/birthday" "bday-month=$(bday_m "$1")&bday-day=$(bday_d "$1")"
    local next; next=$(location); get "$U$next"
    [ "$next" = /office ] && post "$U/office" "office=main"
    post "$U/date" "date=$2"; post "$U/slot" "slot=$3"
    [ "$STATUS" = 303 ] && post "$U/check" ""
}
book "$(rid_of 01 4)" 2026-12-08 09:00
check_eq "seat 1 of 2" "303 /done" "$STATUS $(location)"
book "$(rid_of 01 5)" 2026-12-08 09:00
check_eq "seat 2 of 2" "303 /done" "$STATUS $(location)"
book "$(rid_of 01 6)" 2026-12-08 09:00
check "a full slot is refused" grep -q '満席です' "$BODY"
get "$U/slot"
check "full slots are shown as full, not hidden" \
    bash -c "grep -q 'value=\"09:00\" disabled' '$BODY' && grep -q '満席' '$BODY'"
"$BIN" export-bookings --db "$W/cn.db" --office main --date 2026-12-08 >"$SCRATCH/day.csv"
check_eq "export-bookings --office --date: the day's two" 3 "$(wc -l <"$SCRATCH/day.csv")"

serve_start LATE "$W/cn.db" 2026-12-03T17:00
U2="$SERVE_URL"
new_session "$U2"; get "$U2/R/$(rid_of 01 7)"; get "$U2/birthday"
post "$U2/birthday" "bday-month=$(bday_m "$(rid_of 01 7)")&bday-day=$(bday_d "$(rid_of 01 7)")"
get "$U2/date"
check "17:00 the day before: tomorrow is no longer offered" \
    bash -c "! grep -q 'value=\"2026-12-04\"' '$BODY' && grep -q 'value=\"2026-12-06\"' '$BODY'"
post "$U2/date" "date=2026-12-04"
check "17:00 the day before: tomorrow refused" grep -q '予約を受け付けていません' "$BODY"
serve_stop LATE

# ---- a start page stores a session only for an ID that opens the pages --------------------
# (on PostgreSQL the session is stored with the ID's read, in one statement, and dropped
# again when the ID turns out withdrawn; SQLite's sessions live in memory)
RW=$(rid_of 01 10)
store_sql "$W/cn.db" "UPDATE feed SET withdrawn_at = '2026-12-02T00:00:00' WHERE rid = '$RW'" >/dev/null
new_session; get "$U/R/$RW"
check "a withdrawn ID: said so" grep -q 'この予約IDでは予約できません' "$BODY"
check "a withdrawn ID: no session cookie" bash -c "! grep -qi '^set-cookie: cn_sid=' '$HEAD'"
check_eq "a withdrawn ID: no session stored for it" 0 \
    "$(store_sql "$W/cn.db" "SELECT count(*) FROM sessions WHERE rid = '$RW'")"
new_session; get "$U/R/$(rid_of 01 11)"
check "an ID that books: a session cookie" grep -qi '^set-cookie: cn_sid=' "$HEAD"
get "$U/birthday"
check "... which the next page finds" grep -q 'name="bday-month"' "$BODY"

# ---- the seats the pages show: kept for a moment; the take and every refusal read the store
# A node keeps an office's seat tally for <booking seats-cache-ms> (60 s here, so it is
# surely still kept) for every page that shows or checks seats. A day closed by another
# node's staff (a row written straight into the store) shows as open there until the take
# refuses it; the fresh read of that refusal is kept for the next resident. A refusal is
# never made on a kept count: a day shown full and reopened meanwhile is taken.
sed 's/<booking /<booking seats-cache-ms="60000" /' "$CONFIG" >"$SCRATCH/kept.xml"
serve_start KEPT "$W/cn.db" 2026-12-03T10:00 "$SCRATCH/kept.xml"
UK="$SERVE_URL"
verified() { # URL RID: a fresh session on URL, past the birthday
    new_session; get "$1/R/$2"; get "$1/birthday"
    post "$1/birthday" "bday-month=$(bday_m "$2")&bday-day=$(bday_d "$2")"
}
offered() { grep -q "value=\"$1\"" "$BODY" && ! grep -q "value=\"$1\" disabled" "$BODY"; }
close_day() { # DAY [FROM_MIN TO_MIN]: the day (whole by default) closed, as another node's staff would
    store_sql "$W/cn.db" "INSERT INTO closures (office, day, from_min, to_min, reason, by_whom, created_at) VALUES ('main', '$1', ${2:-0}, ${3:-1440}, 'test', 'other', '2026-12-03T10:00:00')" >/dev/null
}
seats_on() { # DAY SEATS: the day's seats per slot changed, as another node's staff would
    store_sql "$W/cn.db" "INSERT INTO seat_changes (office, first_day, last_day, seats, by_whom, created_at) VALUES ('main', '$1', '$1', $2, 'other', '2026-12-03T10:00:00')" >/dev/null
}
verified "$UK" "$(rid_of 01 8)"; get "$UK/date"
check "kept seats: 2026-12-09 offered" offered 2026-12-09
close_day 2026-12-09
verified "$UK" "$(rid_of 01 9)"; get "$UK/date"
check "kept seats: a day another node closed meanwhile is still offered (the kept tally)" \
    offered 2026-12-09
post "$UK/date" "date=2026-12-09"
check_eq "kept seats: ... and picked, on the same tally" "303 /slot" "$STATUS $(location)"
get "$UK/slot"
check "kept seats: ... its times offered" offered 09:00
post "$UK/slot" "slot=09:00"; post "$UK/check" ""
check "kept seats: the take itself refuses the closed time" \
    grep -q '選んだ時間は予約の受付を終了しました' "$BODY"
check "kept seats: ... and the times drawn again from the store leave the closed day's out" \
    bash -c "! grep -q 'value=\"09:00\"' '$BODY'"
verified "$UK" "$(rid_of 01 8)"; get "$UK/date"
check "kept seats: that refusal's read is kept: the next resident's list leaves the day out" \
    bash -c "! grep -q 'value=\"2026-12-09\"' '$BODY' && grep -q 'value=\"2026-12-10\"' '$BODY'"
serve_stop KEPT
seats_on 2026-12-15 0
serve_start KEPT2 "$W/cn.db" 2026-12-03T10:00 "$SCRATCH/kept.xml"
verified "$SERVE_URL" "$(rid_of 01 8)"; get "$SERVE_URL/date"
check "kept seats: a day of 0 seats shown full" grep -q 'value="2026-12-15" disabled' "$BODY"
seats_on 2026-12-15 2
get "$SERVE_URL/date"
check "kept seats: reopened by another node, still shown full (the kept tally)" \
    grep -q 'value="2026-12-15" disabled' "$BODY"
post "$SERVE_URL/date" "date=2026-12-15"
check_eq "kept seats: ... but its pick is looked at again on a fresh read: taken" "303 /slot" \
    "$STATUS $(location)"
serve_stop KEPT2
sed 's/<booking /<booking seats-cache-ms="0" /' "$CONFIG" >"$SCRATCH/unkept.xml"
serve_start UNKEPT "$W/cn.db" 2026-12-03T10:00 "$SCRATCH/unkept.xml"
verified "$SERVE_URL" "$(rid_of 01 8)"; get "$SERVE_URL/date"
check "seats-cache-ms=0: 2026-12-10 offered" offered 2026-12-10
close_day 2026-12-10
get "$SERVE_URL/date"
check "seats-cache-ms=0: a day closed meanwhile leaves the next view" \
    bash -c "! grep -q 'value=\"2026-12-10\"' '$BODY'"
serve_stop UNKEPT

# ---- the confirm: the take itself sees the closures and seat changes made since ----------
RC=$(rid_of 01 9)
verified "$U" "$RC"; get "$U/date"; post "$U/date" "date=2026-12-14"; post "$U/slot" "slot=09:00"
check_eq "confirm, meanwhile closed: the slot was free when picked" "303 /check" "$STATUS $(location)"
close_day 2026-12-14 540 600
post "$U/check" ""
check "confirm, meanwhile closed: refused as no longer taking bookings" \
    grep -q '選んだ時間は予約の受付を終了しました' "$BODY"
check "confirm, meanwhile closed: the times drawn again leave the closed ones out" \
    bash -c "! grep -q 'value=\"09:00\"' '$BODY' && grep -q 'value=\"10:00\"' '$BODY'"
post "$U/slot" "slot=10:00"
seats_on 2026-12-14 0
post "$U/check" ""
check "confirm, meanwhile 0 seats: refused" grep -q '選んだ時間は予約の受付を終了しました' "$BODY"
check "confirm, refused twice: nothing booked" \
    bash -c "! '$BIN' export-bookings --db '$W/cn.db' | grep -q '$RC'"

# ---- two offices: the office question ---------------------------------------------------
R4=$(rid_of 02 1)
new_session "$U"; get "$U/R/$R4"; get "$U/birthday"
post "$U/birthday" "bday-month=$(bday_m "$R4")&bday-day=$(bday_d "$R4")"
check_eq "two bookable offices: the office question" "303 /office" "$STATUS $(location)"
get "$U/office"
check "office page: radios named office with the config's ids" \
    bash -c "grep -q 'name=\"office\" id=\"office-0\" value=\"north\"' '$BODY' && grep -q 'value=\"main\"' '$BODY'"
post "$U/office" "office=south"
check "an office the district does not book at is refused" grep -q '窓口を選んでください' "$BODY"

# ---- <booking store> in the config: serve, feed import, export-bookings, staff without --db --
# SQLite: a file named relative to the config's folder. PostgreSQL (pg_serve.sh): a URI with
# a password (the private cluster trusts 127.0.0.1, so it connects), which no log may show.
if [ "${CN_BACKEND:-sqlite}" = pg ]; then
    cfg_store=$(pg_newdb cfgstore)
    store_attr="${cfg_store/cn@/cn:Hunter2pw@}"
else
    store_attr="cfg-store.db" cfg_store="$SCRATCH/templates/municipalities/cfg-store.db"
fi
CITY=$(demo_city "s|<booking url=|<booking store=\"$store_attr\" url=|")
chmod 600 "$CITY"
# the line errors name: where <booking ...> ends (libxml2's line of the element)
cfg_line=$(awk '/<booking store=/ {f = 1} f && />/ {print NR; exit}' "$CITY")
# from another folder: a relative store is the config's folder's, not the current one's
here="$PWD"
cd "$W" || exit 1
check_exit "feed import without --db: into the config's <booking store>" 0 \
    "$BIN" feed --config "$CITY" import "$B/booking"
cp "$SCRATCH/.last" "$SCRATCH/cfgfeed.out"
check_eq "... which holds the night's feed (and no file was made in the current folder)" "1|0" \
    "$(store_sql "$cfg_store" "SELECT count(*) FROM feed_batches")|$(ls "$W"/booking.db 2>/dev/null | wc -l)"
check_exit "staff add without --db" 0 bash -c \
    "printf 'config store pw 1\nconfig store pw 1\n' | '$BIN' staff --config '$CITY' add cfgclerk --office main"
check "staff list without --db: the config's store has the account, --db's has not (--db wins)" \
    bash -c "'$BIN' staff --config '$CITY' list | grep -q '^cfgclerk ' &&
             ! '$BIN' staff --config '$CITY' --db '$W/cn.db' list | grep -q '^cfgclerk '"
port=$(free_port)
"$BIN" serve --config "$CITY" --listen "127.0.0.1:$port" --now 2026-12-03T10:00 \
    >"$SCRATCH/serve-cfg.log" 2>&1 &
cfg_pid=$!
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$port/style.css" && break; sleep 0.1; done
saved_u="$U"; U="http://127.0.0.1:$port"
R9=$(rid_of 01 9)
book "$R9" 2026-12-09 09:00
check_eq "serve without --db: a booking on the config's store" "303 /done" "$STATUS $(location)"
U="$saved_u"
kill -TERM "$cfg_pid"; wait "$cfg_pid"
check "export-bookings without --db (--config): the booking, from the config's store" \
    bash -c "'$BIN' export-bookings --config '$CITY' | grep -q '2026-12-09,09:00,main,$R9,web,active'"
check "export-bookings --db wins over the config's store" \
    bash -c "! '$BIN' export-bookings --config '$CITY' --db '$W/cn.db' | grep -q '$R9'"
cat "$SCRATCH/serve-cfg.log" "$SCRATCH/cfgfeed.out" >"$SCRATCH/cfg.log"
if [ "${CN_BACKEND:-sqlite}" = pg ]; then
    check "the log names the store with its password masked, never the password" bash -c \
        "grep -q 'database postgresql://cn:\*\*\*@127.0.0.1' '$SCRATCH/cfg.log' && ! grep -q Hunter2pw '$SCRATCH/cfg.log'"
else
    check "the log names the store the config gave" grep -q "database $cfg_store" "$SCRATCH/cfg.log"
fi
check "a config of mode 0600 draws no warning" bash -c "! grep -q 'readable by others' '$SCRATCH/cfg.log'"
cd "$here" || exit 1
# A password in a world-readable config: warned about (on either backend, before connecting);
# an unreachable server: named, the password masked.
free=$(free_port)
LEAKY=$(demo_city "s|<booking url=|<booking store=\"postgresql://cn:Hunter2pw@127.0.0.1:$free/x\" url=|")
chmod 644 "$LEAKY"
check_exit "an unreachable store from the config: refused" 2 "$BIN" export-bookings --config "$LEAKY"
cp "$SCRATCH/.last" "$SCRATCH/leaky.out"
check "... naming it with the password masked, and warning of the readable file" bash -c \
    "grep -q 'postgresql://cn:\*\*\*@127.0.0.1:$free/x: cannot reach the database' '$SCRATCH/leaky.out' &&
     grep -q 'holds a password and the file is mode 0644' '$SCRATCH/leaky.out' && ! grep -q Hunter2pw '$SCRATCH/leaky.out'"
for bad in 'mysql://cn@db1/booking' '' 'postgresql://cn:pass word@db1/b'; do
    BAD=$(demo_city "s|<booking url=|<booking store=\"$bad\" url=|")
    for cmd in "feed import $B/booking" "staff list" "export-bookings" "serve --listen 127.0.0.1:$free"; do
        read -ra words <<<"$cmd"
        check_exit "<booking store=\"$bad\">: $cmd refused" 2 \
            "$BIN" "${words[0]}" --config "$BAD" "${words[@]:1}"
        cp "$SCRATCH/.last" "$SCRATCH/bad.out"
        check "... naming the file, the line and the attribute" bash -c \
            "grep -q '$BAD:$cfg_line: attribute .store.' '$SCRATCH/bad.out' && ! grep -q 'pass word' '$SCRATCH/bad.out'"
    done
done

# ---- the log -------------------------------------------------------------------------
serve_stop A
check "log: requests in the job's format" grep -q '^level=info stage=serve msg="GET /R/' "$SERVE_LOG_A"
check "log: booked, changed and cancelled events" \
    bash -c "grep -q 'msg=\"booked ref=' '$SERVE_LOG_A' && grep -q 'msg=\"changed ref=' '$SERVE_LOG_A' && grep -q 'msg=\"cancelled ref=' '$SERVE_LOG_A'"
full_ids=0
for r in $(awk -F, 'NR>1 {print $2}' "$B/internal/notices.csv"); do
    grep -q "$r" "$SERVE_LOG_A" && full_ids=$((full_ids + 1))
done
check_eq "log: no full reservation ID" 0 "$full_ids"
check "log: no birthday, no name" \
    bash -c "! grep -q 'bday\|$(awk -F, 'NR==2 {print $2}' "$ROOT/input/sample/residents.csv" | cut -c1-6)' '$SERVE_LOG_A'"
check "the server stopped cleanly on SIGTERM" grep -q 'stopping on signal' "$SERVE_LOG_A"
done_testing
