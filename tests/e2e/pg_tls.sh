#!/usr/bin/env bash
# The booking store on a PostgreSQL server that requires TLS (a private cluster this suite
# starts, helpers/pg.sh, with a self-signed certificate made here by openssl and pg_hba.conf
# refusing every connection without TLS): feed import, staff and two `serve` nodes through
# sslmode=verify-full (the certificate as sslrootcert) and sslmode=require; every connection
# of certnotice encrypted (pg_stat_ssl); a wrong root certificate and sslmode=disable refused;
# the server restarted: 503 meanwhile, then the nodes book again over TLS by themselves.
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

# ---- the server: TLS with a self-signed certificate, and nothing without it -----------------
D="$PG_DIR/data"
CRT="$SCRATCH/server.crt" OTHER="$SCRATCH/other.crt"
check "openssl: a self-signed certificate for 127.0.0.1 (and another one, not the server's)" bash -c \
    "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
        -addext subjectAltName=IP:127.0.0.1 -keyout '$D/server.key' -out '$D/server.crt' &&
     openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
        -addext subjectAltName=IP:127.0.0.1 -keyout '$SCRATCH/other.key' -out '$OTHER'"
cp "$D/server.crt" "$CRT"
chmod 600 "$D/server.key"
[ "$(id -u)" -eq 0 ] && chown postgres "$D/server.key" "$D/server.crt"
cat >>"$D/postgresql.conf" <<EOF
ssl = on
ssl_cert_file = 'server.crt'
ssl_key_file = 'server.key'
EOF
# the socket stays trusted (the helpers create databases through it); TCP only with TLS
cat >"$D/pg_hba.conf" <<EOF
local all all trust
hostssl all all 127.0.0.1/32 trust
hostnossl all all 127.0.0.1/32 reject
EOF
pg_stop fast
check "the server restarts with ssl = on" _pg_start_server

plain="postgresql://cn@127.0.0.1:$PG_PORT/cn?sslmode=disable"
check "the server refuses a connection without TLS (psql, sslmode=disable)" bash -c \
    "! '$PG_BIN/psql' -X -At -d '$plain' -c 'SELECT 1' 2>'$SCRATCH/plain.err' &&
     grep -q 'no encryption' '$SCRATCH/plain.err'"
check_exit "certnotice with sslmode=disable: refused at start" 2 \
    "$BIN" export-bookings --db "$plain"
check_exit "verify-full against another certificate: refused at start" 2 \
    "$BIN" export-bookings --db "postgresql://cn@127.0.0.1:$PG_PORT/cn?sslmode=verify-full&sslrootcert=$OTHER"
cp "$SCRATCH/.last" "$SCRATCH/other.out"
check "... saying the certificate could not be verified" grep -q 'certificate verify failed' "$SCRATCH/other.out"

# ---- the commands and two nodes over TLS ------------------------------------------------------
TLS="postgresql://cn@127.0.0.1:$PG_PORT/cn?sslmode=verify-full&sslrootcert=$CRT"
R="$SCRATCH/night"
due_night 800 12
check "feed import over TLS (sslmode=verify-full)" \
    "$BIN" feed --db "$TLS" --config "$CONFIG" import "$B/booking"
check "staff add over TLS (sslmode=require: encrypted, the certificate not checked)" bash -c \
    "printf 'correct horse battery\ncorrect horse battery\n' |
     '$BIN' staff --db 'postgresql://cn@127.0.0.1:$PG_PORT/cn?sslmode=require' --config '$CONFIG' add tls1 --all"
sed -e 's/per-address="32"/per-address="400"/' -e 's/lookups-burst="20"/lookups-burst="100000"/' \
    "$CONFIG" >"$R/nodes.xml"
cp "$(dirname "$CONFIG")/demo-gaiji.txt" "$R/"
SERVE_ADDR=127.0.0.1 serve_start A "$TLS" "$NOW" "$R/nodes.xml"
A="$SERVE_URL"
SERVE_ADDR=127.0.0.2 serve_start B "$TLS" "$NOW" "$R/nodes.xml"
NB="$SERVE_URL"
# each load its own days, so that the second finds free seats whatever the first took
DAYS1=2026-12-07,2026-12-08,2026-12-09,2026-12-10,2026-12-11
DAYS2=2026-12-14,2026-12-15,2026-12-16,2026-12-17,2026-12-18,2026-12-21,2026-12-22
half=$(($(wc -l <"$B/booking/reservations.csv") / 2))
sed -n "1,${half}p" "$B/booking/reservations.csv" >"$R/ids1.csv"
{ head -1 "$B/booking/reservations.csv"; sed -n "$((half + 1)),\$p" "$B/booking/reservations.csv"; } >"$R/ids2.csv"
# missing OUT: the IDs the load was told were booked that the store has no active booking of.
missing() {
    "$BIN" export-bookings --db "$TLS" | awk -F, 'NR>1 {print $5}' | sort >"$SCRATCH/in-store"
    sed -n 's/^confirmed //p' "$1" | sort | comm -23 - "$SCRATCH/in-store"
}
# tls_connections: certnotice's connections to the server, and how many of them without TLS.
tls_connections() {
    pg_sql "SELECT count(*) || ' connections, ' || count(*) FILTER (WHERE NOT s.ssl) || ' without TLS'
            FROM pg_stat_activity a JOIN pg_stat_ssl s USING (pid) WHERE a.application_name = 'certnotice'"
}

python3 "$WEB" load "$A,$NB" "$R/ids1.csv" "$DAYS1" 8 3 >"$R/load1.out" 2>&1
summary=$(grep '^confirmed=' "$R/load1.out")
echo "# two nodes over TLS: $summary"
check "bookings confirmed through both nodes over TLS" \
    test "$(sed -n 's/^confirmed=\([0-9]*\).*/\1/p' <<<"$summary")" -gt 10
check "... no client failed" grep -q ' errors=0 ' "$R/load1.out"
check_eq "every booking confirmed is in the store" "" "$(missing "$R/load1.out" | head -3)"
conns=$(tls_connections)
check "every certnotice connection to the server is encrypted ($conns)" \
    bash -c "[[ '$conns' =~ ^[1-9][0-9]*\ connections,\ 0\ without ]]"

# ---- the server restarted: the nodes come back over TLS by themselves ------------------------
pg_stop fast
JAR="$SCRATCH/down"; new_session
get "$NB/R/$(awk -F, 'NR>1 {print $1}' "$R/ids2.csv" | tail -1)"
check_eq "the server down: a page answers 503" 503 "$STATUS"
check "the server started again" _pg_start_server
python3 "$WEB" load "$A,$NB" "$R/ids2.csv" "$DAYS2" 8 3 >"$R/load2.out" 2>&1
summary=$(grep '^confirmed=' "$R/load2.out")
echo "# after the restart: $summary"
check "both nodes book again over TLS, nothing restarted but the server" \
    test "$(sed -n 's/^confirmed=\([0-9]*\).*/\1/p' <<<"$summary")" -gt 10
check_eq "every booking confirmed is in the store" "" "$(missing "$R/load2.out" | head -3)"
conns=$(tls_connections)
check "the connections made again are encrypted too ($conns)" \
    bash -c "[[ '$conns' =~ ^[1-9][0-9]*\ connections,\ 0\ without ]]"

serve_stop_all
done_testing
