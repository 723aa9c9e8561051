#!/usr/bin/env bash
# Two `serve` nodes, on 127.0.0.1 and 127.0.0.2, sharing one PostgreSQL booking store (a
# private cluster this suite starts, helpers/pg.sh), each resident's requests alternating
# between them as a load balancer without sticky sessions sends them:
#   - a resident starts on node A and finishes on node B;
#   - 200 residents go for the last 3 seats of a slot, 20 rounds: exactly 3 booked, 197 told
#     the slot was just taken, every round;
#   - node A is killed (SIGKILL) mid-load: every booking confirmed is in the store, node B
#     goes on answering, no slot over its seats;
#   - PostgreSQL is restarted mid-load: 503 pages meanwhile, bookings again within seconds,
#     nothing confirmed lost, no slot over its seats.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/helpers/serve.sh"
source "$(dirname "$0")/helpers/pg.sh"
DATE=2026-12-01
NOW=2026-12-03T10:00
WEB="$ROOT/tests/e2e/helpers/webclient.py"

pg_start || { not_ok "a private PostgreSQL starts"; done_testing; exit 1; }
# (after pg_start, whose own trap would replace it: this one stops the nodes too)
trap 'serve_stop_all; pg_stop; rm -rf "$SCRATCH"' EXIT
ok "a private PostgreSQL starts (127.0.0.1:$PG_PORT)"

# A night with enough due letters in district 01 for the race (200 + 3 per later round) and
# the loads after it (one ID per booking); its feed into the store on PostgreSQL.
R="$SCRATCH/night"
due_night 5000 11
check "feed import into the booking store on PostgreSQL" \
    "$BIN" feed --db "$PG_URI" --config "$CONFIG" import "$B/booking"
# 3 seats a slot; limits that let 200 clients share one address; two nodes on one machine's
# cores share them out, 4 threads each (README, Limits).
sed -e 's/seats="2"/seats="3"/' -e 's/per-address="32"/per-address="400"/' \
    -e 's/lookups-burst="20"/lookups-burst="100000"/' -e 's/threads="8"/threads="4"/' \
    "$CONFIG" >"$R/nodes.xml"
cp "$(dirname "$CONFIG")/demo-gaiji.txt" "$R/"

SERVE_ADDR=127.0.0.1 serve_start A "$PG_URI" "$NOW" "$R/nodes.xml"
A="$SERVE_URL"
SERVE_ADDR=127.0.0.2 serve_start B "$PG_URI" "$NOW" "$R/nodes.xml"
NB="$SERVE_URL"
check "node A answers on 127.0.0.1" curl -sf -o /dev/null "$A/"
check "node B answers on 127.0.0.2" curl -sf -o /dev/null "$NB/"
check "node A runs the 4 threads its config gives it" grep -q " 4 threads, " "$SERVE_LOG_A"
check "node B runs the 4 threads its config gives it" grep -q " 4 threads, " "$SERVE_LOG_B"

# slots_over: the slots of the store holding more bookings than seats ("" when none): 3 on the
# race's day, 10 on the loads' days (a seat change, below).
slots_over() {
    "$BIN" export-bookings --db "$PG_URI" --office main |
        awk -F, 'NR>1 {n[$2 " " $3]++}
                 END {for (s in n) if (n[s] > (s ~ /^2026-12-16 / ? 3 : 10)) print s "=" n[s]}'
}
# missing OUT: the IDs the load was told were booked that the store has no active booking of.
missing() {
    "$BIN" export-bookings --db "$PG_URI" | awk -F, 'NR>1 {print $5}' | sort >"$SCRATCH/in-store"
    sed -n 's/^confirmed //p' "$1" | sort | comm -23 - "$SCRATCH/in-store"
}

# ---- one resident, started on A, finished on B --------------------------------------------
# One name for the service, as behind the proxy (the cookie is the site's, whichever node
# answers): http://localhost/ reaches node A or B by --connect-to. (curl keeps the Secure
# cookie for http://localhost.)
on() { # on A|B: the --connect-to of that node
    local u; [ "$1" = A ] && u="$A" || u="$NB"
    u="${u#http://}"
    echo "localhost:80:${u%:*}:${u##*:}"
}
nget() { curl -s -D "$HEAD" -o "$BODY" -b "$JAR" -c "$JAR" --connect-to "$(on "$1")" "http://localhost$2"; _took; }
npost() { curl -s -D "$HEAD" -o "$BODY" -b "$JAR" -c "$JAR" --connect-to "$(on "$1")" \
    --data "csrf=$CSRF&$3" "http://localhost$2"; _took; }
rid=$(awk -F, 'NR>1 && $5 == "01" {print $1}' "$B/booking/reservations.csv" | sed -n 3100p)
mmdd=$(bday_of_rid "$B" "" "$rid")
new_session
nget A "/R/$rid"
check_eq "A: the start page for the ID" 200 "$STATUS"
nget B /birthday
check_eq "B: the birthday page of A's session" 200 "$STATUS"
npost A /birthday "bday-month=$((10#${mmdd:0:2}))&bday-day=$((10#${mmdd:2:2}))"
next=$(location)
nget B "$next"
[ "$next" = /office ] && { npost A /office "office=main"; nget B "$(location)"; }
npost A /date "date=2026-12-09"
npost B /slot "slot=09:00"
nget A /check
check "A: the check page of the flow so far" grep -q 'この内容で予約する' "$BODY"
npost B /check ""
check_eq "B: the booking confirmed (303 to /done)" "303 /done" "$STATUS $(location)"
nget A /done
check "A: the confirmation page with the booking's reference" grep -q 'Y[1-9][0-9]\{8\}' "$BODY"
check_eq "the store has the booking, made once" 1 \
    "$("$BIN" export-bookings --db "$PG_URI" | grep -c ",$rid,")"

# ---- 200 residents, the last 3 seats, 20 rounds, alternating nodes ---------------------------
python3 "$WEB" race "$A,$NB" "$B/booking/reservations.csv" 2026-12-16 200 20 >"$R/race.out" 2>&1
sed 's/^/# /' "$R/race.out" | grep -v '^# round' | head -8
check_eq "20 rounds of 200 clients raced across both nodes" 20 "$(grep -c '^round ' "$R/race.out")"
check_eq "every round: exactly 3 booked, 197 told the slot was just taken, nothing else" 20 \
    "$(grep -c 'booked=3 taken=197 other=0$' "$R/race.out")"
check "no client failed (connection or flow)" grep -q '^errors=0 ' "$R/race.out"
check_eq "the store agrees: 3 bookings in each of the 20 slots on 12/16" "20 3" \
    "$("$BIN" export-bookings --db "$PG_URI" --office main --date 2026-12-16 |
        awk -F, 'NR>1 {n[$3]++} END {k=0; for (t in n) {k++; v=v (n[t]==3 ? "" : " " t "=" n[t])}
                     print k, (v == "" ? 3 : v)}')"
numbers_random "$PG_URI"

# ---- node A killed mid-load ------------------------------------------------------------------
# Bookable weekdays within the 40 days' horizon (the race took 12/16). A day past it, or a
# full one, costs a load an ID and books nothing: with 3 seats a slot and days past the
# horizon, the second load once ran out of IDs before the server came back. The loads' days
# get 10 seats a slot, as staff would give them (a seat change in the store).
pg_sql "INSERT INTO seat_changes (office, first_day, last_day, seats, by_whom, created_at)
        VALUES ('main', '2026-12-17', '2027-01-31', 10, 'suite', '2026-12-03T00:00:00Z'),
               ('main', '2026-12-01', '2026-12-15', 10, 'suite', '2026-12-03T00:00:00Z')" >/dev/null
DAYS=$(python3 -c 'import datetime as d; s = d.date(2026, 12, 4)
print(",".join(str(s + d.timedelta(k)) for k in range(39) if (s + d.timedelta(k)).weekday() < 5 and str(s + d.timedelta(k)) not in ("2026-12-16", "2026-12-09") and not ("2026-12-29" <= str(s + d.timedelta(k)) <= "2027-01-04")))')
# Each load its own IDs (the race took the last ones of the file).
sed -n '1,1500p' "$B/booking/reservations.csv" >"$R/ids-kill.csv"
{ head -1 "$B/booking/reservations.csv"; sed -n '1501,4200p' "$B/booking/reservations.csv"; } >"$R/ids-restart.csv"
# Each load its own days, every other one: the first load, fast enough, filled every seat
# of them all, and the second found nothing left to book once the server came back.
DAYS_KILL=$(tr , '\n' <<<"$DAYS" | awk 'NR % 2' | paste -sd,)
DAYS_RESTART=$(tr , '\n' <<<"$DAYS" | awk 'NR % 2 == 0' | paste -sd,)
python3 "$WEB" load "$A,$NB" "$R/ids-kill.csv" "$DAYS_KILL" 16 8 >"$R/kill.out" 2>&1 &
load=$!
sleep 3
kill -KILL "$SERVE_PID_A"
wait "$SERVE_PID_A" 2>/dev/null
SERVE_PID_A=""
wait "$load"
summary=$(grep '^confirmed=' "$R/kill.out")
echo "# node A killed: $summary"
check "bookings were confirmed around the kill" test "$(sed -n 's/^confirmed=\([0-9]*\).*/\1/p' <<<"$summary")" -gt 10
check_eq "every booking confirmed is in the store" "" "$(missing "$R/kill.out" | head -3)"
check_eq "no slot over its seats" "" "$(slots_over | head -3)"
check "node B goes on answering" curl -sf -o /dev/null "$NB/"

# ---- PostgreSQL restarted mid-load -----------------------------------------------------------
SERVE_ADDR=127.0.0.1 serve_start A "$PG_URI" "$NOW" "$R/nodes.xml"
A="$SERVE_URL"
python3 "$WEB" load "$A,$NB" "$R/ids-restart.csv" "$DAYS_RESTART" 16 9 >"$R/restart.out" 2>&1 &
load=$!
sleep 3
pg_stop fast
# meanwhile, a resident's page: the 503 page with the phone number
rid2=$(awk -F, 'NR>1 && $5 == "01" {print $1}' "$B/booking/reservations.csv" | sed -n 3200p)
JAR="$SCRATCH/down"; new_session
get "$NB/R/$rid2"
down_status="$STATUS"
cp "$BODY" "$SCRATCH/down.html"
sleep 2
_pg_start_server
wait "$load"
summary=$(grep '^confirmed=' "$R/restart.out")
echo "# PostgreSQL restarted: $summary"
unavailable=$(sed -n 's/.* unavailable=\([0-9]*\).*/\1/p' <<<"$summary")
check "pages answered 503 while the server was down" test "${unavailable:-0}" -gt 0
check_eq "a page asked meanwhile: 503" 503 "$down_status"
check "... with the booking phone number" grep -q '0120-000-001' "$SCRATCH/down.html"
last=$(sed -n 's/.* last_503=\([0-9.]*\).*/\1/p' <<<"$summary")
after=$(sed -n 's/.* ok_after_503=\([0-9.]*\).*/\1/p' <<<"$summary")
check "bookings again within seconds after the server came back (last 503 at ${last}s, next booking at ${after}s)" \
    python3 -c "import sys; l, a = float('$last'), float('$after'); sys.exit(0 if a > 0 and a - l < 5 else 1)"
check_eq "every booking confirmed is in the store" "" "$(missing "$R/restart.out" | head -3)"
check_eq "no slot over its seats" "" "$(slots_over | head -3)"

serve_stop_all
done_testing
