#!/usr/bin/env bash
# Several booking nodes behind the reverse proxy, as the README deploys them: nginx in front,
# its site the shipped scripts/nginx/certnotice-booking.conf with only its listen addresses,
# certificate and upstream's servers changed (an unprivileged nginx of this suite's own, TLS
# with a certificate openssl makes here, loopback ports), two `serve` nodes on 127.0.0.1 and
# 127.0.0.2 behind it sharing one PostgreSQL (a private cluster, helpers/pg.sh), each with
# the proxy as its trusted-proxy:
#   - what nginx sends a node: X-Forwarded-For the client's address alone, X-Forwarded-Proto
#     https, a body with a Content-Length, from the address trusted-proxy names;
#   - a node that refuses connections: its requests go to the other;
#   - a resident's whole booking over https, its requests shared round robin by both nodes;
#     Strict-Transport-Security once on every answer, the cookie Secure;
#   - wrong birthdays from one client lock that client, keyed by its address as nginx passed
#     it, not the proxy's; another client goes on;
#   - node A killed with SIGKILL holding a GET and a POST: the GET is answered by node B, the
#     POST gets 502 and is never sent to B (sent again, it books once); pages go on;
#   - both nodes down: nginx's own 502 page, with HSTS added by nginx;
#   - too many requests from one client: refused by nginx's limit (429);
#   - no access log, the redirect from http:// included (the path carries the ID).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/helpers/serve.sh"
source "$(dirname "$0")/helpers/pg.sh"
DATE=2026-12-01
NOW=2026-12-03T10:00
SITE=yoyaku.example.lg.jp
SHIPPED="$ROOT/scripts/nginx/certnotice-booking.conf"
NGINX="${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}"
NGINX_PIDS=()
nginx_stop_all() {
    local p
    for p in "${NGINX_PIDS[@]}"; do kill -TERM "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
    NGINX_PIDS=()
}

[ -x "$NGINX" ] || { not_ok "nginx is installed (scripts/install-deps.sh: nginx-light)"; done_testing; exit 1; }
pg_start || { not_ok "a private PostgreSQL starts"; done_testing; exit 1; }
# (pg_start sets its own trap: this one stops everything the suite started)
trap 'nginx_stop_all; serve_stop_all; pg_stop; rm -rf "$SCRATCH"' EXIT
ok "a private PostgreSQL starts (127.0.0.1:$PG_PORT)"

# ---- nginx: the shipped site, on loopback ports, as an unprivileged process ------------------
# nginx_site DIR HTTP_PORT TLS_PORT NODE...: DIR/site.conf, the shipped site with its listen
# lines on 127.0.0.1 and the ports (no IPv6 ones), its certificate DIR/site.crt and the
# upstream's servers the NODEs; every other line as shipped. Fails when the shipped file no
# longer has one of the lines it changes (the suite would test something else).
nginx_site() {
    python3 - "$SHIPPED" "$@" <<'EOF'
import re, sys
src, d, http, tls, *nodes = sys.argv[1:]
s = open(src).read()
def sub(pat, rep):
    global s
    s, n = re.subn(pat, rep, s, flags=re.M)
    if n != 1:
        sys.exit(f"the shipped site has {n} lines matching {pat!r}, not one")
sub(r'^([ \t]*)listen 80;$', rf'\1listen 127.0.0.1:{http};')
sub(r'^[ \t]*listen \[::\]:80;\n', '')
sub(r'^([ \t]*)listen 443 ssl http2;$', rf'\1listen 127.0.0.1:{tls} ssl http2;')
sub(r'^[ \t]*listen \[::\]:443 ssl http2;\n', '')
sub(r'^([ \t]*ssl_certificate)[ \t]+\S+;$', rf'\1 {d}/site.crt;')
sub(r'^([ \t]*ssl_certificate_key)[ \t]+\S+;$', rf'\1 {d}/site.key;')
sub(r'^upstream certnotice_nodes \{\n(?:.*\n)*?\}$',
    'upstream certnotice_nodes {\n' + ''.join(f'    server {n};\n' for n in nodes) + '}')
open(f'{d}/site.conf', 'w').write(s)
EOF
}
# nginx_start DIR HTTP_PORT TLS_PORT NODE...: nginx on that site, its logs, pid and temporary
# files in DIR (its error log at the level Debian's own nginx.conf sets; the http level's
# access log is what the site's `access_log off` overrides). As root it runs as nobody.
nginx_start() {
    local d="$1"
    mkdir -p "$d/tmp"
    cp "$SCRATCH/site.crt" "$SCRATCH/site.key" "$d/"
    nginx_site "$@" || return 1
    cat >"$d/nginx.conf" <<EOF
worker_processes 1;
error_log $d/error.log;
events { worker_connections 256; }
http {
    access_log $d/access.log;
    client_body_temp_path $d/tmp/body;
    proxy_temp_path $d/tmp/proxy;
    fastcgi_temp_path $d/tmp/fastcgi;
    uwsgi_temp_path $d/tmp/uwsgi;
    scgi_temp_path $d/tmp/scgi;
    include site.conf;
}
EOF
    local as=()
    if [ "$(id -u)" -eq 0 ]; then
        chmod 0711 "$SCRATCH"
        chown -R nobody:nogroup "$d"
        as=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
    fi
    "${as[@]}" "$NGINX" -t -q -p "$d/" -c nginx.conf -e "$d/error.log" -g "pid $d/nginx.pid;" ||
        return 1
    "${as[@]}" "$NGINX" -p "$d/" -c nginx.conf -e "$d/error.log" -g "daemon off; pid $d/nginx.pid;" &
    NGINX_PIDS+=($!)
    for _ in $(seq 50); do
        # its plain HTTP port: nginx answers it alone (no node asked)
        curl -s -o /dev/null "http://127.0.0.1:$2/" && return 0
        sleep 0.1
    done
    sed 's/^/# /' "$d/error.log"
    return 1
}

check "openssl: a self-signed certificate for $SITE" \
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=$SITE" \
    -addext "subjectAltName=DNS:$SITE" -keyout "$SCRATCH/site.key" -out "$SCRATCH/site.crt"

# ---- what nginx sends a node ------------------------------------------------------------------
# A one-request node on 127.0.0.3 that keeps what it received; a client that sends its own
# X-Forwarded-For and -Proto and a chunked body.
python3 - "$SCRATCH/cap" <<'EOF' &
import socket, sys
out = sys.argv[1]
s = socket.socket()
s.bind(("127.0.0.3", 0))
s.listen(4)
s.settimeout(20)
open(out + ".port", "w").write(str(s.getsockname()[1]))
c, peer = s.accept()
c.settimeout(5)
data = b""
while b"\r\n\r\n" not in data:
    data += c.recv(65536)
head, _, body = data.partition(b"\r\n\r\n")
n = 0
for line in head.split(b"\r\n")[1:]:
    k, _, v = line.partition(b":")
    if k.strip().lower() == b"content-length":
        n = int(v)
while len(body) < n:
    body += c.recv(65536)
open(out, "wb").write(b"peer " + peer[0].encode() + b"\r\n" + head + b"\r\n\r\n" + body)
c.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
c.close()
EOF
cap=$!
for _ in $(seq 50); do [ -s "$SCRATCH/cap.port" ] && break; sleep 0.1; done
CAP_TLS=$(free_port)
check "nginx starts on the shipped site, one node behind it" \
    nginx_start "$SCRATCH/ngcap" "$(free_port)" "$CAP_TLS" "127.0.0.3:$(cat "$SCRATCH/cap.port")"
curl -s --http1.1 --cacert "$SCRATCH/site.crt" --resolve "$SITE:$CAP_TLS:127.0.0.1" \
    --interface 127.0.0.9 -H 'X-Forwarded-For: 10.6.6.6' -H 'X-Forwarded-Proto: http' \
    -H 'Transfer-Encoding: chunked' --data-binary 'csrf=x&bday-month=1' -o /dev/null \
    "https://$SITE:$CAP_TLS/birthday"
wait "$cap"
nginx_stop_all
capt() { tr -d '\r' <"$SCRATCH/cap" | grep -i "^$1" | sed "s/^[^ ]* //"; }
check_eq "the node is reached from 127.0.0.1, the address the nodes' trusted-proxy names" \
    127.0.0.1 "$(capt 'peer ')"
check_eq "X-Forwarded-For: the client's address alone (10.6.6.6, the client's own, dropped)" \
    127.0.0.9 "$(capt 'x-forwarded-for:')"
check_eq "X-Forwarded-Proto: https (the client's http dropped)" https "$(capt 'x-forwarded-proto:')"
check_eq "Host: the site's name" "$SITE" "$(capt 'host:')"
check_eq "the chunked body sent whole with a Content-Length (no Transfer-Encoding: the service refuses it)" \
    "19||csrf=x&bday-month=1" \
    "$(capt 'content-length:')|$(capt 'transfer-encoding:')|$(tr -d '\r' <"$SCRATCH/cap" | tail -1)"

# ---- two nodes behind nginx, on one PostgreSQL -------------------------------------------------
R="$SCRATCH/night"; mkdir -p "$R"
sed 's|<booking url=|<booking trusted-proxy="127.0.0.1" url=|' "$CONFIG" >"$R/nodes.xml"
cp "$(dirname "$CONFIG")/demo-gaiji.txt" "$R/"
PORT_A=$(free_port)
SERVE_ADDR=127.0.0.2 serve_start B "$PG_URI" "$NOW" "$R/nodes.xml"
PORT_B="${SERVE_URL##*:}"
N="$SCRATCH/nginx"
TLS=$(free_port) HTTP=$(free_port)
check "nginx starts on the shipped site, the upstream 127.0.0.1:$PORT_A and 127.0.0.2:$PORT_B" \
    nginx_start "$N" "$HTTP" "$TLS" "127.0.0.1:$PORT_A" "127.0.0.2:$PORT_B"
check_eq "... its site differs from the shipped one in the listen, certificate and upstream lines only" \
    "" "$(diff "$SHIPPED" "$N/site.conf" | grep '^[<>]' |
        grep -vE '^[<>] *(# *)?(listen|ssl_certificate(_key)?|server) [^;]*;$' | head -3)"

NG="https://$SITE:$TLS"
FROM=127.0.0.6
# through nginx over https, from the client address $FROM; ANSWERS gets each answer's status
# and how many Strict-Transport-Security headers it had
ANSWERS="$SCRATCH/answers"
via() {
    curl -s --cacert "$SCRATCH/site.crt" --resolve "$SITE:$TLS:127.0.0.1" --interface "$FROM" "$@"
}
_seen() {
    _took
    echo "$1 $STATUS $(grep -ci '^strict-transport-security: max-age=31536000' "$HEAD")" >>"$ANSWERS"
}
pget() { via -D "$HEAD" -o "$BODY" -b "$JAR" -c "$JAR" "$NG$1"; _seen "GET $1"; }
ppost() { via -D "$HEAD" -o "$BODY" -b "$JAR" -c "$JAR" --data "csrf=$CSRF&$2" "$NG$1"; _seen "POST $1"; }
served() { grep -c ' status=' "$SCRATCH/serve-$1.log"; } # requests a node answered

# Node A not started yet: its connections are refused.
new_session
pget /
s1="$STATUS"
pget /
check_eq "node A refusing connections: pages answered by node B" "200 200" "$s1 $STATUS"
check "... nginx passed the refused connection to the next node" \
    grep -q "connect() failed (111: Connection refused) while connecting to upstream" "$N/error.log"
refused_at=$EPOCHREALTIME

# ---- the night and its feed (node B serving meanwhile) ------------------------------------------
due_night 800 13
check "feed import into the booking store on PostgreSQL" \
    "$BIN" feed --db "$PG_URI" --config "$CONFIG" import "$B/booking"
mapfile -t ids < <(awk -F, 'NR>1 && $5 == "01" {print $1}' "$B/booking/reservations.csv" | sed -n '101,112p')
SERVE_ADDR=127.0.0.1 SERVE_PORT=$PORT_A serve_start A "$PG_URI" "$NOW" "$R/nodes.xml"
check "node A starts on 127.0.0.1:$PORT_A" kill -0 "$SERVE_PID_A"

# ---- plain HTTP: sent to https -----------------------------------------------------------------
curl -s -D "$HEAD" -o /dev/null --resolve "$SITE:$HTTP:127.0.0.1" "http://$SITE:$HTTP/R/${ids[0]}"
check_eq "http:// is sent to https:// (301)" "301 https://$SITE/R/${ids[0]}" \
    "$(awk 'NR==1 {print $2}' "$HEAD") $(grep -i '^location:' "$HEAD" | tr -d '\r' | cut -d' ' -f2)"

# ---- wrong birthdays from one client: that client locked, by its own address ---------------------
# (nginx marks a node that refused a connection failed for 10 s: meanwhile node B answers
# alone, which this part does not mind.) 4 IDs x 5 wrong birthdays from 127.0.0.5, each ID
# locked after its 5th, the client after its 20th; paced to stay inside nginx's own limit.
FROM=127.0.0.5
codes=""
for k in 0 1 2 3; do
    new_session
    pget "/R/${ids[$k]}"
    pget /birthday
    mmdd=$(bday_of_rid "$B" "" "${ids[$k]}")
    for _ in 1 2 3 4 5; do
        ppost /birthday "bday-month=$((10#${mmdd:0:2} % 12 + 1))&bday-day=1"
        codes="$codes $STATUS"
        sleep 0.05
    done
done
check_eq "20 wrong birthdays for 4 IDs from one client: 4 x (4 told so, the 5th locks the ID)" \
    "$(printf ' 200 200 200 200 429%.0s' 1 2 3 4)" "$codes"
new_session
pget "/R/${ids[4]}"
pget /birthday
mmdd=$(bday_of_rid "$B" "" "${ids[4]}")
check_eq "that client, a fifth ID: locked before its birthday is asked (429)" 429 "$STATUS"
check "... the page says the client is locked for wrong birthdays" grep -q '誕生日の入力を何度も間違えたため' "$BODY"
FROM=127.0.0.7
new_session
pget "/R/${ids[4]}"
pget /birthday
ppost /birthday "bday-month=$((10#${mmdd:0:2}))&bday-day=$((10#${mmdd:2:2}))"
check_eq "another client behind the same proxy, the same ID and birthday: on to the next page" 303 "$STATUS"
keys=$(pg_sql "SELECT key FROM lockouts WHERE locked_until IS NOT NULL ORDER BY key" | tr '\n' ' ')
echo "# locked keys: $keys"
check "the store locked the client by the address nginx passed (127.0.0.5), never the proxy's" \
    bash -c "grep -q ':127.0.0.5 ' <<<'$keys ' && ! grep -q '127.0.0.[12] ' <<<'$keys '"

# ---- a resident's whole booking, round robin over both nodes -------------------------------------
# nginx tries node A again once 10 s have passed since it refused a connection (whole
# seconds: more than 10 of them)
sleep "$(awk -v a="$refused_at" -v b="$EPOCHREALTIME" 'BEGIN { w = 11.2 - (b - a); print (w > 0 ? w : 0) }')"
FROM=127.0.0.6
# to_check RID DATE SLOT: a new resident's way to the check page of that slot: the start
# page (its cookie kept in $SCRATCH/cookie), the birthday, the office where asked, the date,
# the slot (each form's token from the page before it: the birthday renews the session's)
to_check() {
    local mmdd next
    mmdd=$(bday_of_rid "$B" "" "$1")
    new_session
    pget "/R/$1"
    tr -d '\r' <"$HEAD" | grep -i '^set-cookie: cn_sid=' >"$SCRATCH/cookie"
    pget /birthday
    ppost /birthday "bday-month=$((10#${mmdd:0:2}))&bday-day=$((10#${mmdd:2:2}))"
    next=$(location)
    pget "$next"
    [ "$next" = /office ] && { ppost /office "office=main"; pget "$(location)"; }
    ppost /date "date=$2"
    pget "$(location)"
    ppost /slot "slot=$3"
    pget /check
}
rid=${ids[6]}
a0=$(served A) b0=$(served B)
: >"$ANSWERS"
to_check "$rid" 2026-12-09 09:00
check_eq "the start page for the ID" 200 "$(awk 'NR==1 {print $3}' "$ANSWERS")"
check "the check page" grep -q 'この内容で予約する' "$BODY"
ppost /check ""
check_eq "the booking confirmed (303 to /done)" "303 /done" "$STATUS $(location)"
pget /done
check "the confirmation page with the booking's reference" grep -q 'Y[1-9][0-9]\{8\}' "$BODY"
check_eq "the store has the booking, made once" 1 "$("$BIN" export-bookings --db "$PG_URI" | grep -c ",$rid,")"
na=$(($(served A) - a0)) nb=$(($(served B) - b0)) n=$(wc -l <"$ANSWERS")
check "both nodes answered the resident's $n requests ($na on A, $nb on B)" \
    test "$na" -ge 3 -a "$nb" -ge 3 -a $((na + nb)) -eq "$n"
check_eq "Strict-Transport-Security once on each of the $n answers (the service's; nginx adds none)" \
    "" "$(awk '$NF != 1' "$ANSWERS")"
cookie=$(cat "$SCRATCH/cookie")
check "the session cookie over the proxy: Secure, HttpOnly, SameSite=Lax ($cookie)" \
    bash -c "grep -q '; Secure' <<<'$cookie' && grep -q '; HttpOnly' <<<'$cookie' && grep -q 'SameSite=Lax' <<<'$cookie'"

# ---- node A killed holding a POST and a GET ------------------------------------------------------
# A second resident up to the check page; then node A stopped (SIGSTOP: its kernel still
# takes connections, nobody reads them), its next POST and GET sent to it, and A killed.
FROM=127.0.0.10
rid2=${ids[7]}
to_check "$rid2" 2026-12-10 10:00
check "a second resident at the check page" grep -q 'この内容で予約する' "$BODY"
# round robin: after an answer of B's the next request goes to A
b0=$(served B)
pget /check
[ "$(served B)" -eq "$b0" ] && pget /check
kill -STOP "$SERVE_PID_A"
b_posts=$(grep -c 'POST /check' "$SCRATCH/serve-B.log")
via -D "$SCRATCH/post.head" -o "$SCRATCH/post.body" -b "$JAR" --data "csrf=$CSRF&" "$NG/check" &
post=$!
sleep 0.3
check "the POST is held by node A (no answer yet)" kill -0 "$post"
via -o /dev/null -w '%{http_code}' -b "$JAR" "$NG/check" >"$SCRATCH/get-b.code" # to node B
via -o /dev/null -w '%{http_code}' -b "$JAR" "$NG/check" >"$SCRATCH/get-a.code" & # to node A
get=$!
sleep 0.3
kill -KILL "$SERVE_PID_A"
kill -CONT "$SERVE_PID_A" 2>/dev/null
wait "$SERVE_PID_A" 2>/dev/null
SERVE_PID_A=""
wait "$post" "$get"
# held_by_a METHOD: nginx's error log has node A's connection reset under such a request
held_by_a() {
    grep "recv() failed (104: Connection reset by peer) while reading response header" "$N/error.log" |
        grep -q "request: \"$1 /check HTTP/[0-9.]*\", upstream: \"http://127.0.0.1:$PORT_A/check\""
}
check_eq "node A killed: the GET it held (its reset in nginx's error log) is answered by node B" \
    "200 reset" "$(cat "$SCRATCH/get-a.code") $(held_by_a GET && echo reset)"
check_eq "... the POST it held (reset too): 502 from nginx" "502 reset" \
    "$(awk 'NR==1 {print $2}' "$SCRATCH/post.head") $(held_by_a POST && echo reset)"
check_eq "... and never sent to node B (no POST /check in its log since)" "$b_posts" \
    "$(grep -c 'POST /check' "$SCRATCH/serve-B.log")"
check_eq "... no booking made by it" 0 "$("$BIN" export-bookings --db "$PG_URI" | grep -c ",$rid2,")"
ppost /check ""
check_eq "the resident sends it again: booked (303 to /done, by node B)" "303 /done" "$STATUS $(location)"
check_eq "... once" 1 "$("$BIN" export-bookings --db "$PG_URI" | grep -c ",$rid2,")"
: >"$ANSWERS"
for _ in $(seq 10); do pget /done; pget /; sleep 0.1; done
check_eq "20 pages more with node A dead: the confirmation and the start page, all 200" "" \
    "$(awk '$3 != 200' "$ANSWERS")"

# ---- nginx's limit per client --------------------------------------------------------------------
FROM=127.0.0.8
# at once indeed: one after the other, 40 TLS requests on a busy machine can take the 2 s in
# which 10 a second refill the burst of 20, and none is refused
burst=()
for _ in $(seq 40); do
    via -o /dev/null -w '%{http_code}\n' "$NG/style.css" >>"$SCRATCH/burst" &
    burst+=($!)
done
wait "${burst[@]}"
check_eq "40 requests at once from one client: nginx's limit refuses those over its burst (429)" \
    "200 429" "$(sort -u "$SCRATCH/burst" | tr '\n' ' ' | sed 's/ $//')"

# ---- both nodes down: nginx's own page -----------------------------------------------------------
serve_stop B
FROM=127.0.0.11
pget /
check_eq "both nodes down: 502 from nginx" 502 "$STATUS"
check "... nginx's own page" grep -q '<title>502 Bad Gateway</title>' "$BODY"
check_eq "... with Strict-Transport-Security, added by nginx (once)" 1 \
    "$(grep -ci '^strict-transport-security: max-age=31536000$' <(tr -d '\r' <"$HEAD"))"

# ---- nginx's logs ------------------------------------------------------------------------------------
check_eq "nginx's access log: nothing, the redirect to https included (the site's access_log off)" 0 \
    "$(wc -c <"$N/access.log")"

nginx_stop_all
serve_stop_all
done_testing
