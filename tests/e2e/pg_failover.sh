#!/usr/bin/env bash
# Two `serve` nodes across a failover: a PostgreSQL primary with a synchronous
# streaming-replication standby (a private pair this suite starts, helpers/pg.sh), every node
# and the feed import given both servers in one URI, the writable one wanted. Under load the
# primary crashes (pg_ctl -m immediate) and the standby is promoted:
#   - pages answer 503 with the phone number while no server is writable;
#   - the same nodes, never restarted, book again within seconds of the promotion;
#   - every booking a resident was told was confirmed is on the promoted server (synchronous
#     replication: a confirmation waited for the standby's disk), no slot over its seats;
#   - the night's feed and export-bookings go through the same URI afterwards.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/helpers/serve.sh"
source "$(dirname "$0")/helpers/pg.sh"
trap 'serve_stop_all; pg_stop immediate; [ -n "$PG_STANDBY_DIR" ] && _pg_as "$PG_BIN/pg_ctl" -D "$PG_STANDBY_DIR/data" -m immediate stop >/dev/null 2>&1; rm -rf "$SCRATCH"' EXIT
DATE=2026-12-01
NOW=2026-12-03T10:00
WEB="$ROOT/tests/e2e/helpers/webclient.py"
PG_STANDBY_DIR=""

pg_start || { not_ok "a private PostgreSQL starts"; done_testing; exit 1; }
ok "a private PostgreSQL primary starts (127.0.0.1:$PG_PORT)"
check "a streaming-replication standby of it (pg_basebackup -R)" pg_standby_start
# The suite's EXIT trap again: pg_standby_start set its own.
trap 'serve_stop_all; pg_stop immediate; _pg_as "$PG_BIN/pg_ctl" -D "$PG_STANDBY_DIR/data" -m immediate stop >/dev/null 2>&1; rm -rf "$SCRATCH"' EXIT
# Synchronous: a commit returns once the standby has it on disk. pg_basebackup -R names the
# standby's connection "walreceiver"; '*' takes any.
pg_sql "ALTER SYSTEM SET synchronous_standby_names = '*'" >/dev/null
pg_sql "SELECT pg_reload_conf()" >/dev/null
for _ in $(seq 50); do
    [ "$(pg_sql "SELECT sync_state FROM pg_stat_replication")" = sync ] && break
    sleep 0.1
done
check_eq "the standby is synchronous (pg_stat_replication)" sync \
    "$(pg_sql "SELECT sync_state FROM pg_stat_replication")"
TWO="postgresql://cn@127.0.0.1:$PG_PORT,127.0.0.1:$PG_STANDBY_PORT/cn?target_session_attrs=read-write&connect_timeout=2"

R="$SCRATCH/night"
due_night 3000 12
check "feed import through the two-server URI (the primary takes it)" \
    "$BIN" feed --db "$TWO" --config "$CONFIG" import "$B/booking"
check_eq "the standby has the feed (streamed)" \
    "$(pg_sql "SELECT count(*) FROM feed")" "$(pg_sql -p "$PG_STANDBY_PORT" "SELECT count(*) FROM feed")"
sed -e 's/seats="2"/seats="3"/' -e 's/per-address="32"/per-address="400"/' \
    -e 's/lookups-burst="20"/lookups-burst="100000"/' "$CONFIG" >"$R/nodes.xml"
cp "$(dirname "$CONFIG")/demo-gaiji.txt" "$R/"

SERVE_ADDR=127.0.0.1 serve_start A "$TWO" "$NOW" "$R/nodes.xml"
A="$SERVE_URL" pid_a="$SERVE_PID_A"
SERVE_ADDR=127.0.0.2 serve_start B "$TWO" "$NOW" "$R/nodes.xml"
NB="$SERVE_URL" pid_b="$SERVE_PID_B"
check "node A answers" curl -sf -o /dev/null "$A/"
check "node B answers" curl -sf -o /dev/null "$NB/"

DAYS=$(python3 -c 'import datetime as d; s = d.date(2026, 12, 4)
print(",".join(str(s + d.timedelta(k)) for k in range(60) if (s + d.timedelta(k)).weekday() < 5 and not ("2026-12-29" <= str(s + d.timedelta(k)) <= "2027-01-04")))')
python3 "$WEB" load "$A,$NB" "$B/booking/reservations.csv" "$DAYS" 16 12 >"$R/failover.out" 2>&1 &
load=$!
sleep 3
# The primary crashes: no shutdown checkpoint, connections cut.
pg_stop immediate
ok "the primary crashed under load (pg_ctl stop -m immediate)"
sleep 1
# Meanwhile no server is writable: a resident's page is the 503 page with the phone number.
rid=$(awk -F, 'NR>1 && $5 == "01" {print $1}' "$B/booking/reservations.csv" | tail -1)
JAR="$SCRATCH/down"; new_session
get "$NB/R/$rid"
check_eq "a page asked while no server is writable: 503" 503 "$STATUS"
check "... with the booking phone number" grep -q '0120-000-001' "$BODY"
sleep 1
check "the standby promoted (pg_ctl promote)" pg_standby_promote
wait "$load"
summary=$(grep '^confirmed=' "$R/failover.out")
echo "# failover: $summary"
confirmed=$(sed -n 's/^confirmed=\([0-9]*\).*/\1/p' <<<"$summary")
check "bookings were confirmed around the failover ($confirmed)" test "${confirmed:-0}" -gt 10
unavailable=$(sed -n 's/.* unavailable=\([0-9]*\).*/\1/p' <<<"$summary")
check "pages answered 503 while no server was writable ($unavailable)" test "${unavailable:-0}" -gt 0
last=$(sed -n 's/.* last_503=\([0-9.]*\).*/\1/p' <<<"$summary")
after=$(sed -n 's/.* ok_after_503=\([0-9.]*\).*/\1/p' <<<"$summary")
check "bookings again within seconds of the promotion (last 503 at ${last}s, next booking at ${after}s)" \
    python3 -c "import sys; l, a = float('$last'), float('$after'); sys.exit(0 if a > 0 and a - l < 5 else 1)"
check "the same nodes answered throughout (never restarted)" kill -0 "$pid_a" "$pid_b"

# What the residents were told against what the promoted server holds.
"$BIN" export-bookings --db "$TWO" >"$R/after.csv"
check "export-bookings through the same URI reads the promoted server" test -s "$R/after.csv"
awk -F, 'NR>1 && $7 == "active" {print $5}' "$R/after.csv" | sort >"$R/in-store"
check_eq "every booking confirmed before, during and after is on the promoted server" "" \
    "$(sed -n 's/^confirmed //p' "$R/failover.out" | sort | comm -23 - "$R/in-store" | head -3)"
check_eq "no slot over its seats" "" \
    "$(awk -F, 'NR>1 && $4 == "main" && $7 == "active" {n[$2 " " $3]++} END {for (s in n) if (n[s] > 3) print s "=" n[s]}' "$R/after.csv" | head -3)"
check_eq "no ID with two active bookings" "" \
    "$(awk -F, 'NR>1 && $7 == "active" {print $5}' "$R/after.csv" | sort | uniq -d | head -3)"
check "the feed imports again through the same URI, now on the promoted server" \
    "$BIN" feed --db "$TWO" --config "$CONFIG" import "$B/booking"

serve_stop_all
done_testing
