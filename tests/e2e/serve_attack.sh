#!/usr/bin/env bash
# The booking service against people who attack it: POSTs without or with a wrong CSRF
# token; a script guessing reservation IDs (10,000 from one address, blocked after the
# burst); birthday guessing from changing addresses (the ID locks); slowloris (dripping and
# silent connections are closed, pages stay quick meanwhile); too many connections from one
# address; oversized headers and bodies; X-Forwarded-For believed from the configured proxy
# only; the security headers on every page, errors included; logs without the addresses.
# pg_serve_attack.sh runs it on PostgreSQL (the lockouts read through store_sql).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/helpers/serve.sh"
DATE=2026-12-01
W="$SCRATCH/w"; mkdir -p "$W"
sample_night "$W/cn.db"
RES="$ROOT/input/sample/residents.csv"
CLIENT="$ROOT/tests/e2e/helpers/webclient.py"
cp "$(dirname "$CONFIG")/demo-gaiji.txt" "$SCRATCH/"
# Short timeouts, so that slowloris shows within seconds; room for 40 slow connections.
sed -e 's/idle-timeout="15"/idle-timeout="2"/' -e 's/request-timeout="30"/request-timeout="4"/' \
    -e 's/per-address="32"/per-address="64"/' "$CONFIG" >"$SCRATCH/attack.xml"
# Behind the reverse proxy: 127.0.0.1 is named as trusted.
sed 's|<booking url=|<booking trusted-proxy="127.0.0.1" url=|' "$CONFIG" >"$SCRATCH/proxy.xml"
sed 's/per-address="32"/per-address="4"/' "$CONFIG" >"$SCRATCH/four.xml"
serve_start A "$W/cn.db" 2026-12-03T10:00 "$SCRATCH/attack.xml"
U="$SERVE_URL"
R1=$(rid_in_district "$B" "$RES" 01 1)
R2=$(rid_in_district "$B" "$RES" 01 2)
bday() { local b; b=$(bday_of_rid "$B" "" "$1"); echo "bday-month=$((10#${b:0:2}))&bday-day=$((10#${b:2:2}))"; }

# ---- CSRF ---------------------------------------------------------------------------------
new_session; get "$U/R/$R1"; get "$U/birthday"
code=$(curl -s -o "$BODY" -D "$HEAD" -w '%{http_code}' -b "$JAR" -d "$(bday "$R1")" "$U/birthday")
check_eq "POST without a CSRF token: 403" 403 "$code"
check "... with the security headers" has_security_headers
code=$(curl -s -o /dev/null -w '%{http_code}' -b "$JAR" -d "csrf=${CSRF:0:31}x&$(bday "$R1")" "$U/birthday")
check_eq "POST with a wrong CSRF token: 403" 403 "$code"
other_jar="$SCRATCH/other"; curl -s -o "$SCRATCH/o.html" -c "$other_jar" "$U/R/$R2" >/dev/null
code=$(curl -s -o /dev/null -w '%{http_code}' -b "$other_jar" -d "csrf=$CSRF&$(bday "$R1")" "$U/birthday")
check_eq "POST with another session's cookie and this one's token: 403" 403 "$code"

# ---- oversized headers and bodies ----------------------------------------------------------
pad=$(head -c 12000 /dev/zero | tr '\0' a)
code=$(curl -s -o "$BODY" -D "$HEAD" -w '%{http_code}' -H "X-Pad: $pad" "$U/")
check_eq "12 KB of headers (limit 8 KB): 431" 431 "$code"
check "431: a page, the security headers, and the connection closed" \
    bash -c "grep -q '大きすぎます' '$BODY' && grep -qi '^content-security-policy' '$HEAD' && grep -qi '^connection: close' '$HEAD'"
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: cn_sid=$(head -c 9000 /dev/zero | tr '\0' b)" "$U/")
check_eq "a 9 KB cookie: 431" 431 "$code"
{ printf 'X-Pad: '; head -c 200000 /dev/zero | tr '\0' a; echo; } >"$SCRATCH/big.hdr"
code=$(curl -s -o /dev/null -w '%{http_code}' -H @"$SCRATCH/big.hdr" "$U/" 2>/dev/null)
check "200 KB of headers: refused (libmicrohttpd's own 431, or the connection closed: $code)" \
    bash -c "[ '$code' = 431 ] || [ '$code' = 000 ]"
code=$(curl -s -o /dev/null -w '%{http_code}' "$U/style.css")
check_eq "... and the service still answers" 200 "$code"
code=$(head -c 20000 /dev/zero | tr '\0' a | sed 's/^/csrf=/' |
    curl -s -o "$BODY" -D "$HEAD" -w '%{http_code}' -b "$JAR" -H 'Transfer-Encoding: chunked' \
        -H 'Content-Type: application/x-www-form-urlencoded' --data-binary @- "$U/birthday")
check_eq "a 20 KB chunked body: Transfer-Encoding is refused (400; nginx sends a Content-Length)" 400 "$code"
check "400: the security headers" has_security_headers
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Length: 999999999' -d 'x=1' "$U/birthday" 2>/dev/null)
check_eq "a Content-Length of 1 GB: 413 before any of it is read" 413 "$code"

# ---- the security headers on every kind of page --------------------------------------------
new_session
for t in "200 GET /" "200 GET /style.css" "303 GET /R?rid=$R1" "404 GET /nope" "400 GET /R?rid=%FF" \
         "405 PUT /" "403 POST /birthday" "413 BIG /birthday" "431 PAD /"; do
    set -- $t
    case "$2" in
    GET) curl -s -o "$BODY" -D "$HEAD" "$U$3" ;;
    PUT) curl -s -o "$BODY" -D "$HEAD" -X PUT "$U$3" ;;
    POST) curl -s -o "$BODY" -D "$HEAD" -d 'a=1' "$U$3" ;;
    BIG) curl -s -o "$BODY" -D "$HEAD" -d "a=$(head -c 9000 /dev/zero | tr '\0' a)" "$U$3" ;;
    PAD) curl -s -o "$BODY" -D "$HEAD" -H "X-Pad: $pad" "$U$3" ;;
    esac
    _took
    check "$1 ($2 $3): the status, and every security header" \
        bash -c "[ '$STATUS' = '$1' ] && grep -qi \"^content-security-policy: default-src 'self'; frame-ancestors 'none'\" '$HEAD' &&
                 grep -qi '^referrer-policy: no-referrer' '$HEAD' && grep -qi '^cache-control: no-store' '$HEAD' &&
                 grep -qi '^x-content-type-options: nosniff' '$HEAD' && grep -qi '^x-frame-options: deny' '$HEAD'"
done

# ---- ID guessing ---------------------------------------------------------------------------
# 10,000 random IDs with a right check symbol, from one address. IDs are 11 random symbols of
# 32 (the 12th is the check): a random one is a real one with odds N / 32^11 = N / 3.6e16.
# Even with no limit the expected hits would be 10,000 * N / 3.6e16, about 3e-11 for the
# sample's N (and 3e-8 for a city's 100,000): a hit here would mean a broken generator.
# The limit lets the first 20 (the burst) reach the database, then one a minute.
# A service of its own, so that no earlier lookup from this address counts.
serve_start G "$W/cn.db" 2026-12-03T10:00 "$SCRATCH/attack.xml"
G="$SERVE_URL"
issued=$(($(wc -l <"$B/booking/reservations.csv") - 1))
echo "# IDs issued: $issued; expected hits among 10,000 random IDs without a limit: $(
    echo "scale=15; 10000 * $issued / 2^55" | bc)"
t0=$(date +%s)
python3 "$CLIENT" guess "$G" 10000 >"$SCRATCH/guess.out" 2>&1
t1=$(date +%s)
echo "# $(cat "$SCRATCH/guess.out") in $((t1 - t0)) s"
read -r found notfound blocked first other <<<"$(sed -E 's/[a-z_]+=//g' "$SCRATCH/guess.out")"
check_eq "10,000 guesses: no ID found" 0 "$found"
check_eq "10,000 guesses: the 21st is the first one refused (429)" 21 "$first"
minutes=$(( (t1 - t0) / 60 + 1 ))
check "10,000 guesses: only the burst and the refill reached the database ($notfound <= 20 + $minutes)" \
    test "$notfound" -ge 20 -a "$notfound" -le $((20 + minutes))
check_eq "10,000 guesses: the rest refused, no other answer" "$((10000 - notfound)) 0" "$blocked $other"
code=$(curl -s -o "$BODY" -w '%{http_code}' "$G/R/$R1")
check_eq "a real ID from the guessing address: refused too (429)" 429 "$code"
check "... with a page that says when and gives the phone" \
    bash -c "grep -q '分後に' '$BODY' && grep -q '0120-000-001' '$BODY'"
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'X-Forwarded-For: 203.0.113.9' "$G/R/$R1")
check_eq "X-Forwarded-For from a peer not named as trusted is ignored: still 429" 429 "$code"
code=$(curl -s -o /dev/null -w '%{http_code}' "$G/R/${R1:0:11}$( [ "${R1:11:1}" = 2 ] && echo 3 || echo 2)")
check_eq "a typo (wrong check symbol) is not a lookup: the form again, 200" 200 "$code"
serve_stop G
check "the log names no guessed ID in full" bash -c "! grep -Eq '/R/[0-9A-Z]{12}' '$SERVE_LOG_G'"

# ---- slowloris -------------------------------------------------------------------------------
# 20 connections drip a header byte every half second (never idle), 20 say nothing; a page
# is fetched every half second meanwhile. Idle: closed after 2 s; dripping: after 4 s.
python3 "$CLIENT" slow "$U" 20 9 >"$SCRATCH/slow.out" 2>&1
sed 's/^/# /' "$SCRATCH/slow.out"
check "silent connections closed by the idle timeout" \
    grep -Eq '^idle: 20/20 closed, last after [2-6]\.' "$SCRATCH/slow.out"
check "dripping connections closed by the whole-request timeout" \
    grep -Eq '^drip: 20/20 closed, last after [4-8]\.' "$SCRATCH/slow.out"
check "pages answered meanwhile, each within a second" \
    grep -Eq '^pages: slowest 0\.[0-9]+s errors=0' "$SCRATCH/slow.out"
check "the cut is logged, without addresses" \
    bash -c "grep -q 'connection(s) that sent no whole request in 4 s' '$SERVE_LOG_A'"

# ---- connections per address -------------------------------------------------------------
serve_start FOUR "$W/cn.db" 2026-12-03T10:00 "$SCRATCH/four.xml"
check "6 connections from one address with a limit of 4: 2 closed at once, 4 kept" \
    python3 - "$SERVE_URL" <<'PY'
import socket, sys, time, urllib.parse
u = urllib.parse.urlsplit(sys.argv[1])
socks = [socket.create_connection((u.hostname, u.port)) for _ in range(6)]
time.sleep(0.5)
closed = 0
for s in socks:
    s.settimeout(0.2)
    try:
        closed += s.recv(1) == b""
    except socket.timeout:
        pass
    except OSError:
        closed += 1
print("closed", closed)
sys.exit(0 if closed == 2 else 1)
PY
serve_stop FOUR

# ---- birthdays in parallel: each attempt is counted before it is compared ------------------
R4=$(rid_in_district "$B" "$RES" 01 4)
right4=$(bday "$R4"); m4=${right4#bday-month=}; m4=${m4%%&*}
wrong4="bday-month=$(( m4 % 12 + 1 ))&bday-day=1"
new_session; get "$U/R/$R4"; get "$U/birthday"
seq 30 | xargs -P 30 -I{} curl -s -o /dev/null -w '%{http_code}\n' -b "$JAR" \
    --data "csrf=$CSRF&$wrong4" "$U/birthday" >"$SCRATCH/par.codes"
check_eq "30 wrong birthdays in parallel on one ID and session: 5 compared (the log's count)" 5 \
    "$(grep -c "wrong birthday rid=${R4:0:4}" "$SERVE_LOG_A")"
check_eq "... 4 answered with the form, the 5th and the 25 after it locked out" "4 26" \
    "$(grep -c '^200$' "$SCRATCH/par.codes") $(grep -c '^429$' "$SCRATCH/par.codes")"
# A second lock within a day locks the ID until the next day, and says to book by phone.
serve_start LATER "$W/cn.db" 2026-12-03T10:45 "$SCRATCH/attack.xml"
new_session; get "$SERVE_URL/R/$R4"; get "$SERVE_URL/birthday"
check_eq "30 minutes on, the ID takes birthdays again" 200 "$STATUS"
codes=""
for n in 1 2 3 4 5; do post "$SERVE_URL/birthday" "$wrong4"; codes="$codes $STATUS"; done
check_eq "the second lock of the day" " 200 200 200 200 429" "$codes"
check "... locks the ID until the next day and says to book by phone" bash -c \
    "grep -q '明日まで' '$BODY' && grep -q '電話' '$BODY' && grep -q '0120-000-001' '$BODY'"
serve_stop LATER
serve_start NIGHT "$W/cn.db" 2026-12-03T23:50 "$SCRATCH/attack.xml"
new_session; get "$SERVE_URL/R/$R4"; get "$SERVE_URL/birthday"
check_eq "at 23:50 the ID is still locked" 429 "$STATUS"
serve_stop NIGHT
serve_start NEXT "$W/cn.db" 2026-12-04T00:05 "$SCRATCH/attack.xml"
new_session; get "$SERVE_URL/R/$R4"; get "$SERVE_URL/birthday"
check_eq "the next day it takes birthdays again" 200 "$STATUS"
serve_stop NEXT

# ---- behind the trusted proxy --------------------------------------------------------------
serve_start P "$W/cn.db" 2026-12-03T10:00 "$SCRATCH/proxy.xml"
P="$SERVE_URL"
python3 "$CLIENT" guess "$P" 25 203.0.113.7 >"$SCRATCH/g2.out" 2>&1
check "from the proxy, X-Forwarded-For 203.0.113.7 is the client: refused after 20" \
    grep -q 'not_found=20 blocked=5 first_blocked_at=21' "$SCRATCH/g2.out"
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'X-Forwarded-For: 203.0.113.8' "$P/R/$R1")
check_eq "... while 203.0.113.8 gets through" 200 "$code"
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'X-Forwarded-For: 203.0.113.8, 203.0.113.7' "$P/R/$R1")
check_eq "the last address is the one the proxy saw (203.0.113.7: 429)" 429 "$code"
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'X-Forwarded-For: 203.0.113.7, 203.0.113.8' "$P/R/$R1")
check_eq "... an address the client put before it changes nothing (200)" 200 "$code"
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'X-Forwarded-For: 203.0.113.7' -H 'X-Forwarded-For: 203.0.113.8' "$P/R/$R1")
check_eq "... of two X-Forwarded-For headers, the last (200)" 200 "$code"
curl -s -D "$HEAD" -o /dev/null -H 'X-Forwarded-Proto: https' -H 'X-Forwarded-For: 198.51.100.1' "$P/R/$R1"
check "X-Forwarded-Proto https from the proxy: the cookie is Secure" \
    grep -qi '^set-cookie: cn_sid=.*; Secure' "$HEAD"

# Birthday guessing from a new address and a new session each time: the ID locks all the same.
R3=$(rid_in_district "$B" "$RES" 01 3)
right=$(bday "$R3"); m=${right#bday-month=}; m=${m%%&*}
wrong="bday-month=$(( m % 12 + 1 ))&bday-day=1"
codes=""
for n in 1 2 3 4 5; do
    new_session
    curl -s -D "$HEAD" -o "$BODY" -b "$JAR" -c "$JAR" -H "X-Forwarded-For: 198.51.100.$n" "$P/R/$R3"
    curl -s -D "$HEAD" -o "$BODY" -b "$JAR" -c "$JAR" -H "X-Forwarded-For: 198.51.100.$n" "$P/birthday"; _took
    codes="$codes $(curl -s -o "$BODY" -w '%{http_code}' -b "$JAR" -c "$JAR" \
        -H "X-Forwarded-For: 198.51.100.$n" -d "csrf=$CSRF&$wrong" "$P/birthday")"
done
check_eq "5 wrong birthdays from 5 addresses and sessions: 4 answered, the 5th locks the ID" \
    " 200 200 200 200 429" "$codes"
new_session
curl -s -o "$BODY" -b "$JAR" -c "$JAR" -H 'X-Forwarded-For: 198.51.100.99' "$P/R/$R3"
curl -s -D "$HEAD" -o "$BODY" -b "$JAR" -c "$JAR" -H 'X-Forwarded-For: 198.51.100.99' "$P/birthday"; _took
check_eq "the locked ID refuses even the right birthday from yet another address" 429 "$STATUS"
# IPv6 clients count by their /64: rotating the low 64 bits through the proxy is one client.
rot=0
v6post() { # RID DATA: one request from the next address of 2001:db8:1:2::/64
    rot=$((rot + 1))
    curl -s -D "$HEAD" -o "$BODY" -b "$JAR" -c "$JAR" -H "X-Forwarded-For: 2001:db8:1:2::$rot" \
        ${2:+--data "csrf=$CSRF&$2"} "$P$1"; _took
}
codes=""
for k in 5 6 7 8 9; do
    r=$(rid_in_district "$B" "$RES" 01 "$k")
    rb=$(bday "$r"); rm_=${rb#bday-month=}; rm_=${rm_%%&*}
    new_session; v6post "/R/$r"; v6post /birthday
    for n in 1 2 3 4; do v6post /birthday "bday-month=$(( rm_ % 12 + 1 ))&bday-day=1"; codes="$codes $STATUS"; done
done
check "20 wrong birthdays from 20 addresses of one /64 (4 on each of 5 IDs): the 20th locks the client" \
    bash -c "[ '$(echo $codes | tr ' ' '\n' | grep -c 200)' = 19 ] && [ '${codes##* }' = 429 ] &&
             grep -q '何度も間違えたため' '$BODY'"
r10=$(rid_in_district "$B" "$RES" 01 10)
new_session; v6post "/R/$r10"; v6post /birthday
check_eq "... and another ID from yet another address of it is refused" 429 "$STATUS"
check_eq "the /64 left one lockouts row, not one per address" 1 \
    "$(store_sql "$W/cn.db" "SELECT count(*) FROM lockouts WHERE key LIKE 'ip:2001:db8:1:2%'")"
serve_stop P
# Rows whose lock and count ended a day ago go at the next attempt.
serve_start SWEEP "$W/cn.db" 2026-12-06T10:00 "$SCRATCH/attack.xml"
new_session; get "$SERVE_URL/R/$R1"; get "$SERVE_URL/birthday"
post "$SERVE_URL/birthday" "bday-month=13&bday-day=1"
post "$SERVE_URL/birthday" "$(bday "$R1" | sed 's/bday-day=[0-9]*/bday-day=31/')"
check_eq "after two days, the ended lockouts rows are deleted (the new attempt's remain)" \
    "0" "$(store_sql "$W/cn.db" "SELECT count(*) FROM lockouts WHERE key NOT IN ('rid:$R1', 'ip:127.0.0.1')")"
serve_stop SWEEP
check "the proxy's log names no client address" bash -c "! grep -q '203\.0\.113\|198\.51\.100' '$SERVE_LOG_P'"
serve_stop A
check "no error in the service's log" bash -c "! grep -q 'level=error' '$SERVE_LOG_A'"
done_testing
