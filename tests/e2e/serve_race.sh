#!/usr/bin/env bash
# The booking service under contention: two residents confirming the last seat at once
# (one gets it, the other is told it was just taken and shown the free slots), six racing
# for a two-seat slot, 200 racing for the last 3 seats twenty times over (each on its own
# keep-alive connection, released together), a resident and the call centre for one seat
# eight times, and bookings made while a feed of 200,000 IDs loads into the same booking
# store (no error page, every booking kept).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/helpers/serve.sh"
DATE=2026-12-01
W="$SCRATCH/w"; mkdir -p "$W"
sample_night "$W/cn.db"
RES="$ROOT/input/sample/residents.csv"
serve_start A "$W/cn.db" 2026-12-03T10:00
U="$SERVE_URL"

# to_check RID OFFICE DATE SLOT JARFILE: one resident's session up to the check page; the
# CSRF token is left in JARFILE.csrf.
to_check() {
    local rid="$1" office="$2" day="$3" slot="$4"
    JAR="$5"; new_session
    local mmdd; mmdd=$(bday_of_rid "$B" "" "$rid")
    get "$U/R/$rid"; get "$U/birthday"
    post "$U/birthday" "bday-month=$((10#${mmdd:0:2}))&bday-day=$((10#${mmdd:2:2}))"
    local next; next=$(location); get "$U$next"
    [ "$next" = /office ] && post "$U/office" "office=$office"
    post "$U/date" "date=$day"; post "$U/slot" "slot=$slot"
    get "$U/check"
    echo "$CSRF" >"$5.csrf"
    [ "$STATUS" = 200 ] && grep -q 'この内容で予約する' "$BODY"
}
# confirm JARFILE OUT: POST the confirm button; writes "STATUS LOCATION" to OUT.status.
confirm() {
    curl -s -D "$2.head" -o "$2.body" -b "$1" -c "$1" --data "csrf=$(cat "$1.csrf")" "$U/check"
    echo "$(awk 'NR==1 {print $2}' "$2.head") $(grep -i '^location:' "$2.head" | tr -d '\r' |
        sed -E 's#^[Ll]ocation: (https?://[^/]*)?##')" >"$2.status"
}

# ---- two residents, the last seat (north office: one seat per slot) ---------------------
r1=$(rid_in_district "$B" "$RES" 02 1); r2=$(rid_in_district "$B" "$RES" 02 2)
check "resident 1 at the check page for north 12/8 9:00" to_check "$r1" north 2026-12-08 09:00 "$SCRATCH/j1"
check "resident 2 at the check page for the same slot" to_check "$r2" north 2026-12-08 09:00 "$SCRATCH/j2"
# (wait names its jobs: the server is a background job of this shell too)
confirm "$SCRATCH/j1" "$SCRATCH/c1" & p1=$!
confirm "$SCRATCH/j2" "$SCRATCH/c2" & p2=$!
wait "$p1" "$p2"
s1=$(cat "$SCRATCH/c1.status"); s2=$(cat "$SCRATCH/c2.status")
won=0; lost=""
for k in 1 2; do
    s=$(cat "$SCRATCH/c$k.status")
    if [ "$s" = "303 /done" ]; then won=$((won + 1)); else lost=$k; fi
done
check_eq "exactly one of the two got the last seat ($s1 / $s2)" 1 "$won"
check "the other is told it was just taken" grep -q 'たった今ほかの方の予約で満席' "$SCRATCH/c$lost.body"
check "... and shown the next free slots (9:00 full, 9:30 free)" \
    bash -c "grep -q 'value=\"09:00\" disabled' '$SCRATCH/c$lost.body' && grep -q 'value=\"09:30\" aria' '$SCRATCH/c$lost.body'"
check "... with an error summary" grep -q '<title>エラー: ' "$SCRATCH/c$lost.body"
check_eq "the counter's list has one booking in that slot" 1 \
    "$("$BIN" export-bookings --db "$W/cn.db" --office north --date 2026-12-08 | grep -c ',09:00,')"

# ---- six residents, two seats (main office) -------------------------------------------
racers=()
for n in 1 2 3 4 5 6; do
    r=$(rid_in_district "$B" "$RES" 01 "$n")
    if to_check "$r" main 2026-12-09 10:00 "$SCRATCH/k$n"; then racers+=("$n"); fi
done
check_eq "six residents at the check page" 6 "${#racers[@]}"
pids=()
for n in "${racers[@]}"; do confirm "$SCRATCH/k$n" "$SCRATCH/d$n" & pids+=($!); done
wait "${pids[@]}"
won=0; told=0
for n in "${racers[@]}"; do
    s=$(cat "$SCRATCH/d$n.status")
    [ "$s" = "303 /done" ] && won=$((won + 1))
    grep -q 'たった今ほかの方の予約で満席' "$SCRATCH/d$n.body" 2>/dev/null && told=$((told + 1))
done
check_eq "two of six got the two seats" 2 "$won"
check_eq "four were told the slot was just taken" 4 "$told"
check_eq "the database agrees: two bookings at 10:00" 2 \
    "$("$BIN" export-bookings --db "$W/cn.db" --office main --date 2026-12-09 | grep -c ',10:00,')"

# ---- a resident and the call centre, the last seat ----------------------------------------
# The phone booking writes through the same store as the resident's confirm, under the
# same write lock: one of the two gets the seat, the other is told it was just taken. A
# night of its own (enough due letters in district 01), the main office at one seat.
M="$SCRATCH/mixed"; mkdir -p "$M"
python3 "$ROOT/scripts/gen-residents.py" --count 1000 --seed 5 --date "$DATE" --districts 01 \
    >"$M/residents.csv"
check_exit "nightly run for the mixed race (1,000 residents)" 0 "$BIN" run --date "$DATE" \
    --input "$M/residents.csv" --db "$M/night.db" --out "$M/out" --config "$CONFIG"
feed_store "$M/out/$DATE" "$M/cn.db"
sed -e 's/seats="2"/seats="1"/' "$CONFIG" >"$M/one.xml"
cp "$(dirname "$CONFIG")/demo-gaiji.txt" "$M/"
printf 'call centre pass 22\ncall centre pass 22\n' |
    "$BIN" staff --db "$M/cn.db" --config "$M/one.xml" add callcentre --all >/dev/null 2>&1
serve_start MIXED "$M/cn.db" 2026-12-03T10:00 "$M/one.xml"
saved_u="$U" saved_b="$B"
U="$SERVE_URL" B="$M/out/$DATE"
SJ="$SCRATCH/staffjar"; : >"$SJ"
curl -s -c "$SJ" -b "$SJ" -o "$SCRATCH/sl.body" "$U/staff/login"
scsrf=$(grep -o 'name="csrf" value="[0-9a-f]*"' "$SCRATCH/sl.body" | head -1 | cut -d'"' -f4)
curl -s -c "$SJ" -b "$SJ" -o /dev/null \
    --data "csrf=$scsrf&name=callcentre&password=call+centre+pass+22" "$U/staff/login"
curl -s -c "$SJ" -b "$SJ" -o "$SCRATCH/sp.body" "$U/staff/phone"
scsrf=$(grep -o 'name="csrf" value="[0-9a-f]*"' "$SCRATCH/sp.body" | head -1 | cut -d'"' -f4)
check "the call centre is logged in" grep -q '電話予約' "$SCRATCH/sp.body"
# phone_book RID SLOT OUT: the call centre books RID at main on 12/10 at SLOT.
phone_book() {
    local mmdd; mmdd=$(bday_of_rid "$B" "" "$1")
    curl -s -b "$SJ" -o "$3" --data "csrf=$scsrf&step=book&rid=$1&bday-month=$((10#${mmdd:0:2}))&bday-day=$((10#${mmdd:2:2}))&office=main&date=2026-12-10&slot=$2" \
        "$U/staff/phone"
}
rounds=0 one_each=0 told_each=0 n=1
for slot in 09:00 09:30 10:00 10:30 11:00 11:30 13:00 13:30; do
    res=$(rid_in_district "$B" "$M/residents.csv" 01 "$n")
    caller=$(rid_in_district "$B" "$M/residents.csv" 01 $((n + 1)))
    n=$((n + 2))
    to_check "$res" main 2026-12-10 "$slot" "$SCRATCH/m$slot" || break
    confirm "$SCRATCH/m$slot" "$SCRATCH/mr$slot" & p1=$!
    phone_book "$caller" "$slot" "$SCRATCH/mp$slot" & p2=$!
    wait "$p1" "$p2"
    rounds=$((rounds + 1))
    won=0
    [ "$(cat "$SCRATCH/mr$slot.status")" = "303 /done" ] && won=$((won + 1))
    grep -q '予約しました' "$SCRATCH/mp$slot" && won=$((won + 1))
    [ "$won" = 1 ] && one_each=$((one_each + 1))
    if grep -q 'たった今ほかの方の予約で満席' "$SCRATCH/mr$slot.body" ||
        grep -Eq 'その時間は(、たった今ほかの予約で)?満席' "$SCRATCH/mp$slot"; then
        told_each=$((told_each + 1))
    fi
done
check_eq "eight rounds of a resident and the call centre racing for one seat" 8 "$rounds"
check_eq "every round: exactly one of the two got the seat" 8 "$one_each"
check_eq "every round: the other was told the slot is full (the clerk before or after the take)" 8 "$told_each"
check_eq "the database agrees: one booking in each of the eight slots" "8 1" \
    "$("$BIN" export-bookings --db "$M/cn.db" --office main --date 2026-12-10 |
        awk -F, 'NR>1 {n[$3]++} END {k=0; m=0; for (t in n) {k++; if (n[t] > m) m = n[t]} print k, m}')"
serve_stop MIXED
check "no error in the mixed race's log" bash -c "! grep -q 'level=error' '$SERVE_LOG_MIXED'"
U="$saved_u" B="$saved_b"

# ---- 200 residents, the last 3 seats, 20 times ----------------------------------------------
# A database of its own with enough due letters in district 01 (4,200 residents give ~270;
# the race needs 200 + 3 per later round), the main office at 3 seats per slot, and limits
# that let 200 clients share one address (127.0.0.1).
R="$SCRATCH/race"; mkdir -p "$R"
python3 "$ROOT/scripts/gen-residents.py" --count 4200 --seed 11 --date "$DATE" --districts 01 \
    >"$R/residents.csv"
check_exit "nightly run for the race (4,200 residents)" 0 "$BIN" run --date "$DATE" \
    --input "$R/residents.csv" --db "$R/night.db" --out "$R/out" --config "$CONFIG"
feed_store "$R/out/$DATE" "$R/cn.db"
sed -e 's/seats="2"/seats="3"/' -e 's/per-address="32"/per-address="400"/' \
    -e 's/lookups-burst="20"/lookups-burst="100000"/' "$CONFIG" >"$R/race.xml"
cp "$(dirname "$CONFIG")/demo-gaiji.txt" "$R/"
serve_start RACE "$R/cn.db" 2026-12-03T10:00 "$R/race.xml"
python3 "$ROOT/tests/e2e/helpers/webclient.py" race "$SERVE_URL" \
    "$R/out/$DATE/booking/reservations.csv" 2026-12-16 200 20 >"$R/race.out" 2>&1
sed 's/^/# /' "$R/race.out" | grep -v '^# round' | head -8
check_eq "20 rounds of 200 clients raced" 20 "$(grep -c '^round ' "$R/race.out")"
check_eq "every round: exactly 3 booked, 197 told the slot was just taken, nothing else" 20 \
    "$(grep -c 'booked=3 taken=197 other=0$' "$R/race.out")"
check "no client failed (connection or flow)" grep -q '^errors=0 ' "$R/race.out"
check_eq "the database agrees: 3 bookings in each of the 20 slots on 12/16" "20 3" \
    "$("$BIN" export-bookings --db "$R/cn.db" --office main --date 2026-12-16 |
        awk -F, 'NR>1 {n[$3]++} END {k=0; for (t in n) {k++; v=v (n[t]==3 ? "" : " " t "=" n[t])}
                     print k, (v == "" ? 3 : v)}')"
serve_stop RACE
check "no error in the race server's log" bash -c "! grep -q 'level=error' '$SERVE_LOG_RACE'"
numbers_random "$R/cn.db"

# ---- bookings while a feed of 200,000 IDs loads ----------------------------------------
# The night runs inside on its own database now; what writes to the booking store beside the
# service is feed import: a large city's snapshot (the sample's IDs and 200,000 more) loads
# in one transaction while residents keep booking.
mkdir -p "$SCRATCH/big"
python3 "$ROOT/tests/e2e/helpers/bigfeed.py" "$B/booking" "$SCRATCH/big" 200000
"$BIN" feed --db "$W/cn.db" --config "$CONFIG" import "$SCRATCH/big" >"$SCRATCH/feed.log" 2>&1 &
feeder=$!
booked=0 errors=0 during=0 tries=0
# book and cancel in a loop until the import ends: each round is a whole flow
rid=$(rid_in_district "$B" "$RES" 01 7)
mmdd=$(bday_of_rid "$B" "" "$rid")
JAR="$SCRATCH/jn"; new_session
get "$U/R/$rid"; get "$U/birthday"
post "$U/birthday" "bday-month=$((10#${mmdd:0:2}))&bday-day=$((10#${mmdd:2:2}))"
get "$U/date" # the session's tokens are new after the birthday
while kill -0 "$feeder" 2>/dev/null && [ "$tries" -lt 2000 ]; do
    tries=$((tries + 1))
    get "$U/birthday?intent=change"
    post "$U/date" "date=2026-12-10"; [ "${STATUS:-0}" -ge 500 ] && errors=$((errors + 1))
    post "$U/slot" "slot=1$((tries % 6)):00"; [ "${STATUS:-0}" -ge 500 ] && errors=$((errors + 1))
    post "$U/check" ""
    if [ "$STATUS" = 303 ] && [ "$(location)" = /done ]; then
        booked=$((booked + 1))
        kill -0 "$feeder" 2>/dev/null && during=$((during + 1))
    elif [ "${STATUS:-0}" -ge 500 ]; then
        errors=$((errors + 1)); sed 's/^/# /' "$BODY" | grep -v '^# <' | head -3
    fi
done
wait "$feeder"; feed_rc=$?
[ "$feed_rc" -ne 0 ] && sed "s/^/# /" "$SCRATCH/feed.log" | tail -5
check_eq "the feed of 200,018 IDs loaded" 0 "$feed_rc"
check "the store holds them all" test "$(sqlite3 "$W/cn.db" 'SELECT count(*) FROM feed WHERE withdrawn_at IS NULL')" = 200018
check_eq "no error page while the feed loaded" 0 "$errors"
check "bookings went through while the feed was loading ($during of $booked)" test "$during" -ge 1
check_eq "the resident still has exactly one booking" 1 \
    "$("$BIN" export-bookings --db "$W/cn.db" | grep -c ",$rid,")"
serve_stop A
check "no busy-database error in the service's log" bash -c "! grep -qi 'locked\|busy' '$SERVE_LOG_A'"
done_testing
