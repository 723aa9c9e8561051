#!/usr/bin/env bash
# The counter's own listener (--staff-listen) behind the reverse proxy: it takes the
# config's trusted proxy and limits as the public one does, so X-Forwarded-For names the
# clerk's machine: 20 wrong logins from one LAN machine lock that machine, not every clerk
# (issue 26, defect 2), and the audit's client column says who it was. From a peer that is
# not the trusted proxy, X-Forwarded-For is ignored there too.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/helpers/serve.sh"
DATE=2026-12-01
W="$SCRATCH/w"; mkdir -p "$W"
DB="$W/cn.db"
sample_night "$DB"
PW='main counter pass 1'
printf '%s\n%s\n' "$PW" "$PW" | "$BIN" staff --db "$DB" --config "$CONFIG" add clerk1 --office main >/dev/null 2>&1
cp "$(dirname "$CONFIG")/demo-gaiji.txt" "$SCRATCH/"
sed 's|<booking url=|<booking trusted-proxy="127.0.0.1" url=|' "$CONFIG" >"$SCRATCH/proxy.xml"
sed 's|<booking url=|<booking trusted-proxy="192.0.2.1" url=|' "$CONFIG" >"$SCRATCH/other.xml"

# start NAME CONFIG: the service with the counter on its own listener; sets STAFF_URL.
start() {
    local port sport i log="$SCRATCH/serve-$1.log"
    port=$(free_port); sport=$(free_port)
    "$BIN" serve --config "$2" --db "$DB" --listen "127.0.0.1:$port" \
        --staff-listen "127.0.0.1:$sport" --now 2026-12-03T10:00 >"$log" 2>&1 &
    printf -v "SERVE_PID_$1" '%s' "$!"
    SERVE_NAMES+=("$1")
    STAFF_URL="http://127.0.0.1:$sport"
    for i in $(seq 100); do
        curl -s -o /dev/null "$STAFF_URL/style.css" && return 0
        sleep 0.1
    done
    echo "# serve $1 did not start"; sed 's/^/# /' "$log"; return 1
}
# login_from ADDR NAME PASSWORD: the login page and form, as the proxy forwards them for ADDR.
login_from() {
    local xff=(-H "X-Forwarded-For: $1")
    : >"$JAR"; CSRF=""
    curl -s -D "$HEAD" -o "$BODY" -b "$JAR" -c "$JAR" "${xff[@]}" "$STAFF_URL/staff/login"; _took
    curl -s -D "$HEAD" -o "$BODY" -b "$JAR" -c "$JAR" "${xff[@]}" \
        --data "csrf=$CSRF&name=$2&password=$(printf '%s' "$3" | sed 's/ /+/g')" \
        "$STAFF_URL/staff/login"; _took
}

start P "$SCRATCH/proxy.xml"
codes=""
for i in $(seq 20); do
    login_from 10.1.2.3 "madeup$i" "wrong password $i"
    codes="$codes $STATUS"
done
check "20 wrong logins under made-up names from one LAN machine: refused (200 with the error, then 429)" \
    bash -c "[ '$(echo $codes | tr ' ' '\n' | grep -vc -e 200 -e 429)' = 0 ]"
login_from 10.1.2.3 clerk1 "$PW"
check_eq "that machine is locked now, even with the right password" 429 "$STATUS"
login_from 10.1.2.4 clerk1 "$PW"
check_eq "a clerk at another machine behind the proxy logs in" "303 /staff/day" "$STATUS $(location)"
check "the audit names each machine, not the proxy" bash -c \
    "sqlite3 '$DB' \"SELECT who||'|'||event||'|'||client FROM audit\" >'$SCRATCH/audit';
     grep -qx 'clerk1|login|10.1.2.4' '$SCRATCH/audit' && grep -qx 'madeup1|login failed|10.1.2.3' '$SCRATCH/audit' &&
     ! grep -q '|127.0.0.1$' '$SCRATCH/audit'"
check "the lockout is keyed by the machine behind the proxy" bash -c \
    "sqlite3 '$DB' 'SELECT key FROM lockouts' | grep -q '10.1.2.3' &&
     ! sqlite3 '$DB' 'SELECT key FROM lockouts' | grep -q '127.0.0.1'"
serve_stop P

# A proxy the config does not name: X-Forwarded-For is ignored on the staff listener too.
sqlite3 "$DB" "DELETE FROM lockouts; DELETE FROM audit"
start O "$SCRATCH/other.xml"
login_from 10.9.9.9 clerk1 "$PW"
check_eq "from a peer that is not the trusted proxy: the login works" "303 /staff/day" "$STATUS $(location)"
check_eq "... and the audit has the connection's address, not the header's" "clerk1|login|127.0.0.1" \
    "$(sqlite3 "$DB" "SELECT who||'|'||event||'|'||client FROM audit WHERE event='login'")"
serve_stop O
done_testing
