#!/usr/bin/env bash
# The booking pages in the city's languages (issue 29): the language starts from
# Accept-Language, a link on every page (each language named in itself) changes it and it
# stays for the browser's session; <html lang dir>; URLs and form fields as they were; the
# ICS file and the print page follow the language; the staff pages stay Japanese; a city
# offering only Japanese shows no links. Then every language walked in Chromium at 360 px
# (tests/browser/walk_lang.py): axe-core 0 violations, no text overflowing its box, a
# screenshot per page in build/browser-shots/lang/.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/helpers/serve.sh"
DATE=2026-12-01
W="$SCRATCH/w"; mkdir -p "$W"
trap 'serve_stop_all; rm -rf "$SCRATCH"' EXIT

sample_night "$W/cn.db"
rid=$(rid_in_district "$B" "$ROOT/input/sample/residents.csv" 01 2)
serve_start L "$W/cn.db" 2026-12-03T10:00
U="$SERVE_URL"
get() { curl -s --max-time 10 "$@"; }

page="$(get -H 'Accept-Language: en-US,en;q=0.9' "$U/R/$rid")"
check "Accept-Language en: <html lang=\"en\" dir=\"ltr\">" grep -q '<html lang="en" dir="ltr">' <<<"$page"
check "... the start page in English" grep -q 'Book a time to renew your electronic certificates' <<<"$page"
check "... no renewal window before the birthday (issue 26: it gives the expiry away)" \
    bash -c "! grep -q 'You can renew from' <<<'$page'"
check "... the form field and the path as they were" grep -q 'href="/birthday"' <<<"$page"
for name in 日本語 やさしい日本語 English '中文（简体）' 한국어 'Tiếng Việt' Português; do
    check "a link names $name in itself" grep -qF ">$name<" <<<"$page"
done
check "the page's own language is marked, not a link" grep -q '<span lang="en" aria-current="true">English</span>' <<<"$page"
page="$(get -H 'Accept-Language: fr-FR,fr;q=0.9,ko;q=0.5' "$U/")"
check "Accept-Language fr then ko: Korean" grep -q '<html lang="ko"' <<<"$page"
page="$(get -H 'Accept-Language: fr' "$U/")"
check "a language not offered: Japanese" grep -q '<html lang="ja"' <<<"$page"
check "no header: Japanese as before" grep -q '<html lang="ja"' <<<"$(get "$U/")"

# A link sets the language for the session (a cookie); the next pages keep it.
J="$SCRATCH/jar"
get -c "$J" -b "$J" -D "$SCRATCH/h" "$U/R/$rid?lang=vi" >"$SCRATCH/p"
check "?lang=vi: Vietnamese" grep -q '<html lang="vi"' "$SCRATCH/p"
check "... remembered in a session cookie (HttpOnly, no Max-Age)" \
    grep -qiE '^Set-Cookie: cn_lang=vi; Path=/; HttpOnly; SameSite=Lax; Secure' "$SCRATCH/h"
check "... and the session's own cookie too" grep -qi '^Set-Cookie: cn_sid=' "$SCRATCH/h"
page="$(get -c "$J" -b "$J" -H 'Accept-Language: ja' "$U/birthday")"
check "the next page stays Vietnamese over Accept-Language" grep -q '<html lang="vi"' <<<"$page"
check "... its fields as they were (bday-month, bday-day)" \
    bash -c "grep -q 'name=\"bday-month\"' <<<'$page' && grep -q 'name=\"bday-day\"' <<<'$page'"
check "やさしい日本語: furigana as <ruby>" \
    grep -q '<ruby>誕生日<rt>たんじょうび</rt></ruby>' <<<"$(get -b "cn_lang=ja-x-easy" "$U/birthday?lang=ja-x-easy" -b "$J")"
check "a bad ?lang= is ignored" grep -q '<html lang="ja"' <<<"$(get "$U/?lang=xx%3Cscript%3E")"
check "an error page follows the language" grep -q 'Page not found' <<<"$(get -H 'Accept-Language: en' "$U/nowhere")"

# A whole booking in Portuguese: the ICS file and the print page follow.
J="$SCRATCH/jar2"
mmdd=$(bday_of_rid "$B" "" "$rid")
get -c "$J" -b "$J" "$U/R/$rid?lang=pt" >/dev/null
csrf() { get -c "$J" -b "$J" "$U/$1" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1; }
t=$(csrf birthday)
get -c "$J" -b "$J" --data "csrf=$t&bday-month=${mmdd:0:2}&bday-day=${mmdd:2:2}" "$U/birthday" >/dev/null
date_page="$(get -c "$J" -b "$J" "$U/date")"
check "the date page in Portuguese" grep -q 'Escolha o dia em que irá' <<<"$date_page"
d=$(sed -n 's/.*name="date" id="[^"]*" value="\([0-9-]*\)".*/\1/p' <<<"$date_page" | head -1)
t=$(sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' <<<"$date_page" | head -1)
get -c "$J" -b "$J" --data "csrf=$t&date=$d" "$U/date" >/dev/null
slot_page="$(get -c "$J" -b "$J" "$U/slot")"
s=$(sed -n 's/.*name="slot" id="[^"]*" value="\([0-9:]*\)".*/\1/p' <<<"$slot_page" | head -1)
t=$(sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' <<<"$slot_page" | head -1)
get -c "$J" -b "$J" --data "csrf=$t&slot=$s" "$U/slot" >/dev/null
t=$(csrf check)
get -c "$J" -b "$J" --data "csrf=$t" "$U/check" >/dev/null
check "booked in Portuguese" grep -q 'Reserva concluída' <<<"$(get -b "$J" "$U/done")"
check "the print page in Portuguese" grep -q '<html lang="pt"' <<<"$(get -b "$J" "$U/print")"
ics="$(get -b "$J" "$U/booking.ics")"
check "the ICS file in Portuguese" grep -q '^SUMMARY:Renovação dos certificados eletrônicos' <<<"$ics"
check "... with its booked slot" grep -q "^DTSTART:" <<<"$ics"
ics_ja="$(get -b "$(grep cn_sid "$J" | awk '{print "cn_sid=" $7}')" "$U/booking.ics")"
check "the same ICS without the language cookie: Japanese" grep -q '^SUMMARY:電子証明書の更新' <<<"$ics_ja"

# The staff pages stay Japanese whatever the browser asks.
check "staff login stays Japanese" grep -q '<html lang="ja"' \
    <<<"$(get -H 'Accept-Language: en' -b 'cn_lang=en' "$U/staff/login")"
check "... with no language links" bash -c "! grep -q 'nav class=\"langs\"' <<<'$(get -H 'Accept-Language: en' "$U/staff/login")'"
serve_stop L

# A city that offers only Japanese: no links, Accept-Language ignored.
CITY="$(demo_city '/<languages/,/<\/languages>/d')"
serve_start J "$W/cn.db" 2026-12-03T10:00 "$CITY"
page="$(get -H 'Accept-Language: en' "$SERVE_URL/")"
check "Japanese only: <html lang=\"ja\"> for an English browser" grep -q '<html lang="ja"' <<<"$page"
check "... and no language links" bash -c "! grep -q 'nav class=\"langs\"' <<<'$page'"
serve_stop J

# Every language in Chromium at 360 px.
browser_ready
SHOTS="$ROOT/build/browser-shots/lang"; mkdir -p "$SHOTS"; rm -f "$SHOTS"/*.png
serve_start B "$W/cn.db" 2026-12-03T10:00
mkdir -p "$SCRATCH/tmp"
TMPDIR="$SCRATCH/tmp" /usr/bin/python3 "$ROOT/tests/browser/walk_lang.py" "$SERVE_URL/R/$rid" \
    "$mmdd" "$SHOTS" "$AXE" ja ja-x-easy en zh-Hans ko vi pt >"$SCRATCH/walk.tap" 2>"$SCRATCH/walk.err"
rc=$?
walk_tap "$SCRATCH/walk.tap"
check_eq "the walk finished (exit 0)" 0 "$rc"
[ "$rc" -ne 0 ] && sed 's/^/# /' "$SCRATCH/walk.err" | grep -v "^# #[0-9]" | tail -15
check "a screenshot per page and language (7 x 13)" test "$(ls "$SHOTS"/*.png | wc -l)" -ge 91
serve_stop B
done_testing
