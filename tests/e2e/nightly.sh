#!/usr/bin/env bash
# nightly: scripts/certnotice-nightly.sh with a temp conf: the real run on the demo config
# and sample writes the dated log and archives its input; a failing run (a stand-in binary
# with a chosen exit code) passes its code through and leaves the input for the rerun.
source "$(dirname "$0")/lib.sh"

WRAPPER="$ROOT/scripts/certnotice-nightly.sh"
DEMO_DATE=2026-12-01

setup_site() { # dir bin: a site layout and its conf file
    local site="$1" bin="$2"
    mkdir -p "$site/input" "$site/out" "$site/log"
    cp "$ROOT/input/sample/residents.csv" "$site/input/"
    cat >"$site/certnotice.conf" <<CONF
CERTNOTICE_BIN=$bin
CONFIG=$ROOT/templates/municipalities/demo.xml
INPUT=$site/input
DB=$site/certnotice.db
OUT=$site/out
LOG=$site/log
RUN_DATE=$DEMO_DATE
CONF
}

# ---- the real run ----
site="$SCRATCH/site"
setup_site "$site" "$BIN"
"$WRAPPER" "$site/certnotice.conf" >"$SCRATCH/real.out" 2>"$SCRATCH/real.err"
rc=$?
if [ "$rc" -eq 0 ] || [ "$rc" -eq 1 ]; then ok "nightly run completes (exit $rc)"; else
    not_ok "nightly run completes (exit $rc)"; sed 's/^/# /' "$SCRATCH/real.err" | tail -15
fi
log="$site/log/run-$DEMO_DATE.log"
check "log written to LOG/run-DATE.log" test -s "$log"
check "log has certnotice's own lines" grep -q 'stage=' "$log"
check_eq "log ends with the exit code" "exit=$rc\"" "$(tail -1 "$log" | grep -o 'exit=[0-9]*"$')"
check_eq "log is private (0600)" 600 "$(stat -c %a "$log")"
check_eq "database is private (0600)" 600 "$(stat -c %a "$site/certnotice.db" 2>/dev/null)"
check "batch published under OUT/DATE" test -d "$site/out/$DEMO_DATE"
check "input moved to archive/DATE" test -f "$site/archive/$DEMO_DATE/residents.csv"
check_eq "input folder empty after a completed run" "" "$(ls "$site/input")"

# The same night again, with the same file dropped again: no second letter, both archived.
cp "$ROOT/input/sample/residents.csv" "$site/input/"
"$WRAPPER" "$site/certnotice.conf" >/dev/null 2>&1
rc2=$?
check "a rerun completes" test "$rc2" -le 1
check_eq "a rerun keeps both archived copies" 2 "$(ls "$site/archive/$DEMO_DATE" | wc -l)"

# ---- failures pass through and leave the input ----
fake="$SCRATCH/fake-certnotice"
cat >"$fake" <<'FAKE'
#!/bin/sh
echo "level=error stage=run msg=\"stand-in exit $FAKE_EXIT\" args=$*" >&2
exit "$FAKE_EXIT"
FAKE
chmod +x "$fake"
for code in 2 3 4 5; do
    s="$SCRATCH/fail$code"
    setup_site "$s" "$fake"
    FAKE_EXIT=$code "$WRAPPER" "$s/certnotice.conf" >/dev/null 2>&1
    rc=$?
    check_eq "exit $code passed through" "$code" "$rc"
    check "exit $code leaves the input for the rerun" test -f "$s/input/residents.csv"
    check "exit $code: nothing archived" test ! -e "$s/archive"
done
s="$SCRATCH/rejects"
setup_site "$s" "$fake"
FAKE_EXIT=1 "$WRAPPER" "$s/certnotice.conf" >/dev/null 2>&1
check_eq "exit 1 (rejected records) passed through" 1 "$?"
check "exit 1 archives the input" test -f "$s/archive/$DEMO_DATE/residents.csv"
check "the run got the conf's paths" \
    grep -q -- "--input $s/input --db $s/certnotice.db --out $s/out --date $DEMO_DATE" \
    "$s/log/run-$DEMO_DATE.log"

# ---- without RUN_DATE the log is named by today in the config's time zone, as certnotice
# ---- takes the night's date; the host's zone must not matter.
for zone in Pacific/Kiritimati Pacific/Pago_Pago; do # UTC+14 and UTC-11: never the same day
    s="$SCRATCH/zone-$zone"
    setup_site "$s" "$fake"
    sed -i '/^RUN_DATE=/d' "$s/certnotice.conf"
    sed "s|<batch |<batch time-zone=\"$zone\" |" "$ROOT/templates/municipalities/demo.xml" \
        >"$s/city.xml"
    sed -i "s|^CONFIG=.*|CONFIG=$s/city.xml|" "$s/certnotice.conf"
    before=$(TZ=$zone date +%F)
    TZ=UTC FAKE_EXIT=0 "$WRAPPER" "$s/certnotice.conf" >/dev/null 2>&1
    after=$(TZ=$zone date +%F)
    check "$zone: the log is named by that zone's date ($before)" \
        test -s "$s/log/run-$before.log" -o -s "$s/log/run-$after.log"
    check_eq "$zone: one log file" 1 "$(ls "$s/log" | wc -l)"
done

# ---- a stop: systemd sends SIGTERM to every process of the unit (wrapper, tee and
# ---- certnotice); certnotice rolls back, logs it through tee, and the wrapper passes 7 on.
# stopped SITE WHO: starts the wrapper in its own session on a night big enough to be
# stopped mid-way, waits until certnotice is loading, then signals WHO ("group" or
# "wrapper"); prints the wrapper's exit code.
stopped() {
    local site="$1" who="$2" i
    python3 "$ROOT/scripts/gen-residents.py" --count 20000 --date "$DEMO_DATE" \
        >"$site/input/residents.csv"
    setsid "$WRAPPER" "$site/certnotice.conf" >/dev/null 2>&1 &
    local pid=$!
    for ((i = 0; i < 3000; i++)); do
        grep -q 'stage=run msg="run ' "$site/log/run-$DEMO_DATE.log" 2>/dev/null && break
        sleep 0.01
    done
    if [ "$who" = group ]; then kill -TERM -- "-$pid"; else kill -TERM "$pid"; fi
    wait "$pid"
    echo $?
}
for who in group wrapper; do
    s="$SCRATCH/stop-$who"
    setup_site "$s" "$BIN"
    log="$s/log/run-$DEMO_DATE.log"
    check_eq "SIGTERM to the $who: exit 7 passed through" 7 "$(stopped "$s" "$who")"
    check "SIGTERM to the $who: certnotice's stop is in the log" \
        grep -q 'SIGTERM received: stopping at' "$log"
    check "SIGTERM to the $who: the log ends with exit=7" grep -q 'exit=7"$' "$log"
    check "SIGTERM to the $who: the input is left for the rerun" test -f "$s/input/residents.csv"
    check_eq "SIGTERM to the $who: no certnotice left running" "" \
        "$(pgrep -f -- "--db $s/certnotice.db" || true)"
done

check_exit "a missing conf is a configuration error" 2 "$WRAPPER" "$SCRATCH/nope.conf"
s="$SCRATCH/nobin"
setup_site "$s" "$SCRATCH/not-there"
check_exit "a missing binary is a configuration error" 2 "$WRAPPER" "$s/certnotice.conf"
check "and the input is left" test -f "$s/input/residents.csv"

done_testing
