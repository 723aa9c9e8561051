#!/usr/bin/env bash
# The booking service's benchmark (called by scripts/bench.sh, or alone): the release build
# serving a database the nightly run made (40,000 residents of district 01, 95% due), with
# the clock pinned to a day the residents can book. 500 keep-alive connections, the server
# and the load tool sharing the machine's cores:
#   start page  wrk, GET /R/{RID} for another resident each time (a new session each)
#   date page   wrk, GET /date of 200 verified sessions (the calendar of 40 days)
#   paced       both pages again at 1,000 and 5,000 requests/s (bookload): the latency at
#               a given load, where wrk gives it at saturation
#   booking     scripts/bench/bookload.c: whole flows (start, birthday, date, slot,
#               confirm), each with its own ID, cookie and CSRF token: bookings/s
#   soak        bookings (each cancelled again, so that seats and IDs last) and start
#               pages (paced at SOAK_PAGES/s, default 1,000) together for SOAK_SECONDS, the
#               server's RSS sampled every second: memory must stay flat
#   PostgreSQL  the start page, date page, paced and booking rows again on the same feed in
#               a PostgreSQL booking store (a private cluster), with one node and with two
#               (BENCH_PG=0 skips them)
# Targets (bench only, never in tests): >= 1,000 pages/s with p99 < 100 ms, >= 200
# bookings/s, RSS flat over the soak.
#
#   SERVE_SECONDS (default 15)   each measurement's length
#   SOAK_SECONDS (default 30)    the soak's length (the issue's: 600)
#   SERVE_CONNS (default 500)    connections
#   PACED_RATES (default "1000 5000")  the paced rows' requests/s
#   BENCH_BIN, BENCH_DIR         as scripts/bench.sh
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BENCH_BIN:-$ROOT/build/certnotice}
WORK=${BENCH_DIR:-$ROOT/build/bench}/serve
SECS=${SERVE_SECONDS:-15}
SOAK=${SOAK_SECONDS:-30}
CONNS=${SERVE_CONNS:-500}
DATE=2026-12-01
NOW=2026-12-03T10:00
# The main office's weekdays within the 40 days' horizon (not the year-end's 12-29 to 01-03,
# nor 01-11, a holiday), and the 17 slots every weekday has (8:30-17:15; Wednesdays open
# longer): 22 x 17 x 100 seats, more than the IDs, so that no row runs out of either (at
# 1,350 bookings/s a 15 s row and its warm-up take 22,000 IDs).
DAYS=2026-12-04,2026-12-07,2026-12-08,2026-12-09,2026-12-10,2026-12-11,2026-12-14,2026-12-15
DAYS=$DAYS,2026-12-16,2026-12-17,2026-12-18,2026-12-21,2026-12-22,2026-12-23,2026-12-24
DAYS=$DAYS,2026-12-25,2026-12-28,2027-01-04,2027-01-05,2027-01-06,2027-01-07,2027-01-08
SLOTS="08:30 09:00 09:30 10:00 10:30 11:00 11:30 12:00 12:30 13:00 13:30 14:00 14:30 15:00 15:30 16:00 16:30"

[ -x "$BIN" ] || { echo "bench-serve: $BIN missing (make)" >&2; exit 2; }
command -v wrk >/dev/null || { echo "bench-serve: wrk missing (scripts/install-deps.sh)" >&2; exit 2; }
rm -rf "$WORK"
mkdir -p "$WORK"
cc -O2 -Wall -Wextra -o "$WORK/bookload" "$ROOT/scripts/bench/bookload.c"

python3 "$ROOT/scripts/gen-residents.py" --count 40000 --seed 20261201 --date "$DATE" \
    --districts 01 --no-cases --due-share 0.95 >"$WORK/residents.csv"
"$BIN" run --date "$DATE" --input "$WORK/residents.csv" --db "$WORK/night.db" --out "$WORK/out" \
    --config "$ROOT/templates/municipalities/demo.xml" >"$WORK/night.log" 2>&1 || [ $? -eq 1 ]
# The service runs on the booking store the night's feed fills (the outside), never on the night's.
"$BIN" feed --db "$WORK/cn.db" --config "$ROOT/templates/municipalities/demo.xml" \
    import "$WORK/out/$DATE/booking" >>"$WORK/night.log" 2>&1
awk -F, 'NR > 1 && $5 == "01" {print $1 "," $6}' "$WORK/out/$DATE/booking/reservations.csv" \
    >"$WORK/all.csv"
# The first 200 IDs hold the date page's sessions; the rest are booked, one flow each.
head -200 "$WORK/all.csv" >"$WORK/verified.csv"
# Fewer than the seats there are: a flow that finds its slot full is counted as a failure.
tail -n +201 "$WORK/all.csv" >"$WORK/flows.csv"
cut -d, -f1 "$WORK/all.csv" >"$WORK/ids.txt"
# Seats for every flow; limits that let one load tool be 500 clients at one address.
sed -e 's/seats="2"/seats="100"/' -e 's/connections="512"/connections="2048"/' \
    -e 's/per-address="32"/per-address="2048"/' -e 's/lookups-burst="20"/lookups-burst="1000000"/' -e 's/lookups-per-hour="60"/lookups-per-hour="100000000"/' \
    -e "s|<languages |<languages catalogs=\"$ROOT/templates/po\" |" \
    "$ROOT/templates/municipalities/demo.xml" >"$WORK/bench.xml"
cp "$ROOT/templates/municipalities/demo-gaiji.txt" "$WORK/"

port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
URL="http://127.0.0.1:$port"
CERTNOTICE_LOG=warn "$BIN" serve --config "$WORK/bench.xml" --db "$WORK/cn.db" \
    --listen "127.0.0.1:$port" --now "$NOW" >"$WORK/serve.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null' EXIT
for _ in $(seq 50); do curl -s -o /dev/null "$URL/style.css" && break; sleep 0.1; done
kill -0 "$server" 2>/dev/null || { echo "bench-serve: the server did not start:" >&2; cat "$WORK/serve.log" >&2; exit 1; }
rss() { awk '/^VmRSS/ {print $2}' "/proc/$server/status"; }

# combine KIND FILES...: one result line from wrk or bookload outputs (a node's each: requests
# summed, p50 their mean, p99 the worst).
combine() {
    python3 - "$@" <<'PY'
import re, sys
kind, files = sys.argv[1], sys.argv[2:]
def ms(v):
    n, unit = re.match(r"([\d.]+)(\w+)", v).groups()
    return float(n) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]
rps, p50, p99, fail, books, notes = 0.0, [], 0.0, 0, 0.0, []
for f in files:
    t = open(f).read()
    if "Requests/sec" in t:  # wrk
        rps += float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1))
        p50.append(ms(re.search(r"\s50%\s+(\S+)", t).group(1)))
        p99 = max(p99, ms(re.search(r"\s99%\s+(\S+)", t).group(1)))
        e = re.search(r"Non-2xx or 3xx responses: (\d+)", t)
        fail += int(e.group(1)) if e else 0
        sock = re.search(r"Socket errors: (.*)", t)
        if sock:
            notes.append("socket errors: " + sock.group(1))
    else:  # bookload: key=value
        v = dict(kv.split("=", 1) for kv in t.split() if "=" in kv)
        rps += float(v["requests_per_s"])
        books += float(v.get("bookings_per_s", 0))
        p50.append(float(v["p50_ms"]))
        p99 = max(p99, float(v["p99_ms"]))
        fail += int(v["failures"])
mid = sum(p50) / len(p50)
if kind in ("booking", "warm-up"):
    print(f"{kind:<12} {books:9,.0f} bookings/s ({rps:,.0f} requests/s)   p50 {mid:7.1f} ms   "
          f"p99 {p99:7.1f} ms   failures {fail}")
else:
    print(f"{kind:<12} {rps:9,.0f} req/s   p50 {mid:7.1f} ms   p99 {p99:7.1f} ms   "
          f"{'failures' if '@' in kind else 'non-2xx'} {fail}" + "".join("   " + n for n in notes))
PY
}

# wrk_row NAME LUA ARG: one wrk run, one result line.
wrk_row() {
    wrk -t2 -c"$CONNS" -d"${SECS}s" --timeout 10s --latency -s "$2" "$URL" -- "$3" >"$WORK/$1.wrk"
    combine "$1" "$WORK/$1.wrk"
}

echo "certnotice serve bench: $(nproc) cores, $CONNS connections, ${SECS}s each, $(date -u +%Y-%m-%dT%H:%MZ), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "RSS at start: $(( $(rss) / 1024 )) MB"
wrk_row start "$ROOT/scripts/bench/start.lua" "$WORK/ids.txt"
# The sessions are made now: the start pages' new sessions would have pushed them out.
python3 "$ROOT/scripts/bench/sessions.py" "$URL" "$WORK/verified.csv" >"$WORK/cookies.txt"
wrk_row date "$ROOT/scripts/bench/date.lua" "$WORK/cookies.txt"
# wrk counts a redirect as success: a session lost on the way would be a cheap 303 to "/".
code=$(curl -s -o "$WORK/date.html" -w '%{http_code}' -b "$(head -1 "$WORK/cookies.txt")" "$URL/date")
if [ "$code" != 200 ] || ! grep -q 'name="date"' "$WORK/date.html"; then
    echo "bench-serve: the date page's sessions were lost ($code): the date row is not valid" >&2
fi
# wrk saturates the server: its p99 is the queue of 500 connections at the most the server
# can do. The target is about a given load: the same pages paced at PACED_RATES requests/s
# in all over the 500 connections (bookload's page modes).
for r in ${PACED_RATES:-1000 5000}; do
    for kind in start date; do
        file="$WORK/all.csv"
        if [ "$kind" = date ]; then
            # fresh sessions: the start pages just before made thousands and pushed them out
            python3 "$ROOT/scripts/bench/sessions.py" "$URL" "$WORK/verified.csv" >"$WORK/cookies.txt"
            file="$WORK/cookies.txt"
        fi
        "$WORK/bookload" 127.0.0.1 "$port" "$file" "$CONNS" "$SECS" "$kind@$r" >"$WORK/paced.out"
        combine "$kind @$r" "$WORK/paced.out"
    done
done
# shellcheck disable=SC2086 # SLOTS is a list
"$WORK/bookload" 127.0.0.1 "$port" "$WORK/flows.csv" "$CONNS" "$SECS" book "$DAYS" $SLOTS >"$WORK/flow.out"
combine booking "$WORK/flow.out"

# The soak: bookings on half the connections, start pages on the other half.
echo "soak: ${SOAK}s of bookings and start pages, RSS every second"
: >"$WORK/rss.txt"
( while kill -0 "$server" 2>/dev/null; do rss >>"$WORK/rss.txt"; sleep 1; done ) &
sampler=$!
# shellcheck disable=SC2086
"$WORK/bookload" 127.0.0.1 "$port" "$WORK/flows.csv" $((CONNS / 2)) "$SOAK" cycle "$DAYS" $SLOTS \
    >"$WORK/soak-flow.out" &
loader=$!
# Paced, not flat out: at wrk's 15,000 new sessions a second the jar (20,000) would churn
# every second or two and push out the sessions of the flows in progress.
"$WORK/bookload" 127.0.0.1 "$port" "$WORK/all.csv" $((CONNS / 2)) "$SOAK" "start@${SOAK_PAGES:-1000}" \
    >"$WORK/soak-pages.out"
wait "$loader"
kill "$sampler" 2>/dev/null || true
python3 - "$WORK/rss.txt" "$WORK/soak-flow.out" "$WORK/soak-pages.out" <<'PY'
import re, sys
kb = [int(l) for l in open(sys.argv[1]) if l.strip()]
mb = [k / 1024 for k in kb]
flow = open(sys.argv[2]).read().strip()
pages = re.search(r"requests_per_s=([\d.]+)", open(sys.argv[3]).read()).group(1)
n = len(mb)
tenth = [mb[min(n - 1, round(i * (n - 1) / 10))] for i in range(11)]
half = mb[n // 2:] or mb
fails = re.search(r"failures=(\d+)", flow).group(1)
print(f"soak: {flow.split()[1]} (flow failures {fails}), start pages {float(pages):,.0f}/s")
print("RSS MB at 0%..100% of the soak: " + " ".join(f"{v:.0f}" for v in tenth))
print(f"RSS second half: min {min(half):.1f} max {max(half):.1f} MB "
      f"(growth {max(half) - min(half):.1f} MB, {100 * (max(half) - min(half)) / max(half):.1f}%)")
PY
grep -v 'level=info' "$WORK/serve.log" | grep -v '^$' | sort | uniq -c | sort -rn | head -5 |
    sed 's/^/server log: /' || true

# ---- PostgreSQL: the same booking store on a server, one node and two ---------------------
# A private cluster (tests/e2e/helpers/pg.sh: initdb in $WORK, 127.0.0.1, fsync off as in the
# suites: the rows measure certnotice and the protocol, not a disk), the same night's feed,
# then the start page, date page and booking rows with one node and with two (127.0.0.1 and
# 127.0.0.2), the load split evenly between the nodes: requests/s summed, p50 the nodes'
# mean, p99 the worse node's. The two nodes share the machine's 2 cores as they would share
# out one machine's: 4 threads each, the 8 of one node in all (<limits threads>; with 8
# each, 16 connections at work on 2 cores cost a quarter of the bookings). The paced rows as
# on SQLite (the rate split between the nodes); no soak. Last, the booking row again with one node on the server's Unix socket
# (host=the socket's folder): what a node on the database's own machine would use, and the
# share of a flow that TCP's loopback costs. BENCH_PG=0 skips it.
[ "${BENCH_PG:-1}" = 1 ] || exit 0
kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true
SCRATCH="$WORK/pg"; mkdir -p "$SCRATCH"
# shellcheck source=../tests/e2e/helpers/pg.sh
source "$ROOT/tests/e2e/helpers/pg.sh"
pg_start >"$WORK/pg-start.log" 2>&1 || { echo "bench-serve: no PostgreSQL:"; cat "$WORK/pg-start.log"; exit 0; }
servers=()
trap 'for p in "${servers[@]}"; do kill "$p" 2>/dev/null || true; done; pg_stop' EXIT
"$BIN" feed --db "$PG_URI" --config "$WORK/bench.xml" import "$WORK/out/$DATE/booking" \
    >>"$WORK/night.log" 2>&1 || { echo "bench-serve: feed import into PostgreSQL failed (night.log)"; exit 0; }

# pg_pages: the start page, date page and paced rows on the nodes of this run (nodes, urls,
# ports, c).
pg_pages() {
    pids=()
    for k in $(seq 0 $((nodes - 1))); do
        wrk -t1 -c"$c" -d"${SECS}s" --timeout 10s --latency -s "$ROOT/scripts/bench/start.lua" \
            "${urls[$k]}" -- "$WORK/ids.txt" >"$WORK/pg$nodes-start-$k.wrk" &
        pids+=($!)
    done
    wait "${pids[@]}"
    combine "start" "$WORK"/pg$nodes-start-*.wrk
    # the sessions live in the store: made through node 1, used on every node
    python3 "$ROOT/scripts/bench/sessions.py" "${urls[0]}" "$WORK/verified.csv" >"$WORK/pg-cookies.txt"
    pids=()
    for k in $(seq 0 $((nodes - 1))); do
        wrk -t1 -c"$c" -d"${SECS}s" --timeout 10s --latency -s "$ROOT/scripts/bench/date.lua" \
            "${urls[$k]}" -- "$WORK/pg-cookies.txt" >"$WORK/pg$nodes-date-$k.wrk" &
        pids+=($!)
    done
    wait "${pids[@]}"
    combine "date" "$WORK"/pg$nodes-date-*.wrk
    # the latency at a given load, as on SQLite: PACED_RATES in all, shared by the nodes
    for r in ${PACED_RATES:-1000 5000}; do
        for kind in start date; do
            file="$WORK/all.csv"
            if [ "$kind" = date ]; then
                python3 "$ROOT/scripts/bench/sessions.py" "${urls[0]}" "$WORK/verified.csv" >"$WORK/pg-cookies.txt"
                file="$WORK/pg-cookies.txt"
            fi
            pids=()
            for k in $(seq 0 $((nodes - 1))); do
                "$WORK/bookload" "127.0.0.$((k + 1))" "${ports[$k]}" "$file" "$c" "$SECS" \
                    "$kind@$((r / nodes))" >"$WORK/pg$nodes-paced-$k.out" &
                pids+=($!)
            done
            wait "${pids[@]}"
            combine "$kind @$r" "$WORK"/pg$nodes-paced-*.out
        done
    done
}

SOCKET_URI="postgresql://cn@$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$PG_DIR"):$PG_PORT/cn"
for run in 1 2 1s; do
    nodes=${run%s} uri=$PG_URI
    [ "$run" = 1s ] && uri=$SOCKET_URI
    # a fresh start: no bookings or sessions of the run before
    pg_sql "TRUNCATE bookings, slot_taken, sessions, lockouts" >/dev/null
    servers=() urls=() ports=()
    sed "s/threads=\"8\"/threads=\"$((8 / nodes))\"/" "$WORK/bench.xml" >"$WORK/bench-pg$run.xml"
    for n in $(seq "$nodes"); do
        p=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
        CERTNOTICE_LOG=warn "$BIN" serve --config "$WORK/bench-pg$run.xml" --db "$uri" \
            --listen "127.0.0.$n:$p" --now "$NOW" >"$WORK/serve-pg$n.log" 2>&1 &
        servers+=($!) urls+=("http://127.0.0.$n:$p") ports+=("$p")
        for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.$n:$p/style.css" && break; sleep 0.1; done
    done
    c=$((CONNS / nodes))
    if [ "$run" = 1s ]; then
        echo "PostgreSQL, 1 node on the server's Unix socket ($uri):"
    else
        echo "PostgreSQL, $nodes node(s), one server ($uri):"
        pg_pages
    fi
    # Warm-up: the store was emptied, and each connection caches its plans of the tables as
    # they were then: empty ones, a sequential scan of bookings for every ID's lookup, until
    # statistics are taken again, which autovacuum does within a minute or so of a live
    # server's rush. 3 s of flows on IDs of their own (printed: the store's first seconds),
    # then ANALYZE, whose invalidation replans every connection, then the measured row.
    tail -n 2500 "$WORK/flows.csv" >"$WORK/pg-warm.csv"
    head -n -2500 "$WORK/flows.csv" >"$WORK/pg-flows.csv"
    # shellcheck disable=SC2086
    "$WORK/bookload" 127.0.0.1 "${ports[0]}" "$WORK/pg-warm.csv" "$c" 3 book "$DAYS" $SLOTS \
        >"$WORK/pg$run-warm.out"
    combine "warm-up" "$WORK/pg$run-warm.out"
    pg_sql "ANALYZE bookings, slot_taken, sessions, lockouts, booking_numbers" >/dev/null
    # each node books its own share of the IDs
    total=$(wc -l <"$WORK/pg-flows.csv")
    pids=()
    for k in $(seq 0 $((nodes - 1))); do
        awk -v k="$k" -v n="$nodes" '(NR - 1) % n == k' "$WORK/pg-flows.csv" >"$WORK/pg-flows-$k.csv"
        # shellcheck disable=SC2086
        "$WORK/bookload" "127.0.0.$((k + 1))" "${ports[$k]}" "$WORK/pg-flows-$k.csv" "$c" "$SECS" \
            book "$DAYS" $SLOTS >"$WORK/pg$run-book-$k.out" &
        pids+=($!)
    done
    wait "${pids[@]}"
    combine "booking" "$WORK"/pg$run-book-*.out
    echo "  ($total IDs for the booking row; $(pg_sql "SELECT count(*) FROM bookings WHERE status = 'active'") booked)"
    for p in "${servers[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
    grep -hv 'level=info' "$WORK"/serve-pg*.log | grep -v '^$' | sort | uniq -c | sort -rn |
        head -3 | sed 's/^/server log: /' || true
done
