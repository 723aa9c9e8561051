#!/usr/bin/env bash
# The HTTP layer's edges over a raw socket (issue 26): a request with both Content-Length
# and Transfer-Encoding, with a request smuggled behind it; HTTP/1.1 without Host; a
# malformed or huge Content-Length; NUL in the path (encoded or raw); headers far over the
# limit; pipelined requests. Every answer is one response, the service's own (every
# security header, one status line), and the connection is closed: nothing behind a
# request is ever served. HSTS only over TLS as the trusted proxy reports it.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/helpers/serve.sh"
DATE=2026-12-01
W="$SCRATCH/w"; mkdir -p "$W"
sample_night "$W/cn.db"
RAW="$ROOT/tests/e2e/helpers/rawhttp.py"
cp "$(dirname "$CONFIG")/demo-gaiji.txt" "$SCRATCH/"
sed 's|<booking url=|<booking trusted-proxy="127.0.0.1" url=|' "$CONFIG" >"$SCRATCH/proxy.xml"
serve_start E "$W/cn.db" 2026-12-03T10:00
PORT="${SERVE_URL##*:}"
R1=$(rid_in_district "$B" "$ROOT/input/sample/residents.csv" 01 1)
H='Host: yoyaku.example.lg.jp\r\n'
FORM='Content-Type: application/x-www-form-urlencoded\r\n'
SMUGGLED='GET /style.css HTTP/1.1\r\nHost: x\r\n\r\n'
CLOSE='Connection: close\r\n' # a served request keeps its connection open unless asked

# edge DESCRIPTION STATUS REQUEST: one response with STATUS, the security headers, one
# status line, the connection closed, no stylesheet smuggled out.
edge() {
    local got
    got=$(python3 "$RAW" "$PORT" "$3")
    check_eq "$1" "responses=1 status=$2 closed=1 security=ok hsts=0 css=0 repeated_head=0" "$got"
}

edge "CL+TE, a request smuggled behind the chunked end: 400, closed, the second not served" 400 \
    "POST /birthday HTTP/1.1\r\n$H${FORM}Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n$SMUGGLED"
edge "TE+CL, the request smuggled inside the length: 400, closed" 400 \
    "POST /birthday HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n${FORM}Content-Length: 44\r\n\r\n0\r\n\r\n$SMUGGLED"
edge "Transfer-Encoding alone: 400 (a body needs a Content-Length)" 400 \
    "POST /birthday HTTP/1.1\r\n$H${FORM}Transfer-Encoding: chunked\r\n\r\n5\r\na=b&c\r\n0\r\n\r\n"
edge "two Content-Lengths: 400" 400 \
    "POST /birthday HTTP/1.1\r\n$H${FORM}Content-Length: 3\r\nContent-Length: 41\r\n\r\na=b$SMUGGLED"
edge "HTTP/1.1 without Host: 400" 400 'GET /style.css HTTP/1.1\r\n\r\n'
edge "two Host headers: 400" 400 "GET /style.css HTTP/1.1\r\n${H}Host: other\r\n\r\n"
check_eq "HTTP/1.0 without Host: served" "responses=1 status=200 closed=1 security=ok hsts=0 css=1 repeated_head=0" \
    "$(python3 "$RAW" "$PORT" 'GET /style.css HTTP/1.0\r\n\r\n')"
edge "a malformed Content-Length: 400, the service's page, one status line" 400 \
    "POST /birthday HTTP/1.1\r\n$H${FORM}Content-Length: 12abc\r\n\r\n"
edge "a negative Content-Length: 400" 400 "POST /birthday HTTP/1.1\r\n$H${FORM}Content-Length: -1\r\n\r\n"
edge "a Content-Length beyond 64 bits: 413, the service's page" 413 \
    "POST /birthday HTTP/1.1\r\n$H${FORM}Content-Length: 99999999999999999999999\r\n\r\n"
edge "a Content-Length over the limit: 413 before the body" 413 \
    "POST /birthday HTTP/1.1\r\n$H${FORM}Content-Length: 9000\r\n\r\n"
edge "/style.css%00.html: 400, never the stylesheet" 400 "GET /style.css%00.html HTTP/1.1\r\n$H\r\n"
edge "/R/ID%00: 400" 400 "GET /R/$R1%00 HTTP/1.1\r\n$H\r\n"
edge "a raw NUL in the request line: 400" 400 "GET /style.css\\x00.html HTTP/1.1\r\n$H\r\n"
edge "a raw NUL in a header: 400" 400 "GET /style.css HTTP/1.1\r\n${H}X-A: b\\x00c\r\n\r\n"
edge "12 KB of headers (limit 8 KB): 431" 431 "GET / HTTP/1.1\r\n${H}X-Pad: {pad:12000}\r\n\r\n"
edge "60 KB of headers: 431, the service's page (was libmicrohttpd's bare one)" 431 \
    "GET / HTTP/1.1\r\n${H}X-Pad: {pad:60000}\r\n\r\n"
edge "200 KB of headers: 431, the service's page" 431 "GET / HTTP/1.1\r\n${H}X-Pad: {pad:200000}\r\n\r\n"
edge "a request line over the limit: 431" 431 "GET /{pad:9000} HTTP/1.1\r\n$H\r\n"
edge "a folded header line: 400" 400 "GET / HTTP/1.1\r\n${H}X-A: b\r\n c\r\n\r\n"
edge "HTTP/2.0 in the request line: 400" 400 "GET / HTTP/2.0\r\n$H\r\n"
edge "a request line without a version: 400" 400 "GET /\r\n$H\r\n"
check_eq "two pipelined requests, the second with CL+TE: the first served, the second refused, closed" \
    "responses=2 status=200,400 closed=1 security=ok hsts=0 css=1 repeated_head=0" \
    "$(python3 "$RAW" "$PORT" "GET /style.css HTTP/1.1\r\n$H\r\nPOST /birthday HTTP/1.1\r\n$H${FORM}Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n$SMUGGLED")"
check_eq "a kept-alive connection, the second request without Host: refused, closed" \
    "responses=2 status=200,400 closed=1 security=ok hsts=0 css=1 repeated_head=0" \
    "$(python3 "$RAW" "$PORT" "GET /style.css HTTP/1.1\r\n$H\r\nGET /style.css HTTP/1.1\r\n\r\n$SMUGGLED")"
check_eq "a kept-alive connection, the second request's path with %00: refused, closed" \
    "responses=2 status=200,400 closed=1 security=ok hsts=0 css=1 repeated_head=0" \
    "$(python3 "$RAW" "$PORT" "GET /style.css HTTP/1.1\r\n$H\r\nGET /style.css%00.html HTTP/1.1\r\n$H\r\n$SMUGGLED")"
check_eq "a PUT: 405 with the security headers" \
    "responses=1 status=405 closed=1 security=ok hsts=0 css=0 repeated_head=0" \
    "$(python3 "$RAW" "$PORT" "PUT / HTTP/1.1\r\n${H}Content-Length: 0\r\n\r\n")"
check_eq "X-Forwarded-Proto: https from a peer the config does not trust: no HSTS" \
    "responses=1 status=200 closed=1 security=ok hsts=0 css=1 repeated_head=0" \
    "$(python3 "$RAW" "$PORT" "GET /style.css HTTP/1.1\r\n${H}X-Forwarded-Proto: https\r\n$CLOSE\r\n")"
curl -s -o /dev/null "$SERVE_URL/style.css"
check "the service still answers after all that" test "$(curl -s -o /dev/null -w '%{http_code}' "$SERVE_URL/")" = 200
serve_stop E
check "the service's log names the refusals" bash -c \
    "grep -q 'status=400 (refused by the HTTP layer)' '$SERVE_LOG_E' && grep -q 'status=431 (refused by the HTTP layer)' '$SERVE_LOG_E'"

# HSTS: over TLS as the trusted proxy says, on every answer; not over plain HTTP.
serve_start P "$W/cn.db" 2026-12-03T10:00 "$SCRATCH/proxy.xml"
PORT="${SERVE_URL##*:}"
TLS="X-Forwarded-For: 198.51.100.4\r\nX-Forwarded-Proto: https\r\n$CLOSE"
for t in "200 /style.css" "404 /nope" "400 /style.css%00" "200 /R/$R1"; do
    set -- $t
    got=$(python3 "$RAW" "$PORT" "GET $2 HTTP/1.1\r\n$H$TLS\r\n")
    check "behind the proxy over TLS, $1 $2: Strict-Transport-Security ($got)" \
        bash -c "[[ '$got' == *'status=$1 '*'security=ok hsts=1'* ]]"
done
curl -s -D "$HEAD" -o /dev/null -H 'X-Forwarded-Proto: https' "$SERVE_URL/"
check "HSTS: a year, this host only" grep -qix 'strict-transport-security: max-age=31536000.' "$HEAD"
got=$(python3 "$RAW" "$PORT" "GET /style.css HTTP/1.1\r\n${H}X-Forwarded-Proto: http\r\n$CLOSE\r\n")
check "behind the proxy over plain HTTP: no HSTS ($got)" bash -c "[[ '$got' == *'hsts=0'* ]]"
got=$(python3 "$RAW" "$PORT" "GET /style.css HTTP/1.1\r\n$H$CLOSE\r\n")
check "behind the proxy, no X-Forwarded-Proto: no HSTS ($got)" bash -c "[[ '$got' == *'hsts=0'* ]]"
serve_stop P
done_testing
