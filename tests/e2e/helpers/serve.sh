# Helpers for the booking service's suites: start and stop `certnotice serve` on a free
# port, a cookie jar per resident, GET/POST that keep the status, headers, body and CSRF
# token, and reservation IDs picked from a night's output. Source it after lib.sh.

SERVE_NAMES=()
trap 'serve_stop_all; rm -rf "$SCRATCH"' EXIT

# sample_night STORE: the nightly run of $DATE on input/sample into its own database
# (NIGHT_DB, inside), the batch in $W/out, then its booking/ folder loaded into the booking
# store STORE (outside), as the transfer would carry it; sets B to the batch folder. Every
# booking suite starts from this night and serves STORE.
sample_night() {
    NIGHT_DB="${1%.db}-night.db"
    check_exit "nightly run on the sample" 0 "$BIN" run --date "$DATE" --input "$ROOT/input/sample" \
        --db "$NIGHT_DB" --out "$W/out" --config "$CONFIG"
    B="$W/out/$DATE"
    feed_store "$B" "$1"
}

# feed_store BATCH STORE: the batch's booking/ folder (feed.csv + feed.json only) into the
# booking store STORE.
feed_store() {
    check_exit "feed import of $(basename "$1") into the booking store" 0 \
        "$BIN" feed --db "$2" --config "$CONFIG" import "$1/booking"
}

free_port() {
    python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'
}

# due_night COUNT SEED: a night of COUNT residents of district 01, 95% of them due, in $R
# (made if missing) on $DATE, checked to exit 0; sets B to the night's output folder, whose
# booking/ the suite then feeds into its store.
due_night() {
    mkdir -p "$R"
    python3 "$ROOT/scripts/gen-residents.py" --count "$1" --seed "$2" --date "$DATE" \
        --districts 01 --no-cases --due-share 0.95 >"$R/residents.csv"
    check_exit "nightly run ($1 residents)" 0 "$BIN" run --date "$DATE" \
        --input "$R/residents.csv" --db "$R/night.db" --out "$R/out" --config "$CONFIG"
    B="$R/out/$DATE"
}

# serve_start NAME DB NOW [CONFIG]: sets SERVE_URL, SERVE_PID_<NAME>, SERVE_LOG_<NAME>. It
# listens on $SERVE_ADDR (default 127.0.0.1; several nodes of one service may take
# 127.0.0.2 and on, all loopback), on $SERVE_PORT when set (a node started again where a
# proxy expects it), else on a free port.
serve_start() {
    local name="$1" db="$2" now="$3" config="${4:-$CONFIG}" port i addr="${SERVE_ADDR:-127.0.0.1}"
    port="${SERVE_PORT:-$(free_port)}"
    local log="$SCRATCH/serve-$name.log"
    "$BIN" serve --config "$config" --db "$db" --listen "$addr:$port" --now "$now" \
        >"$log" 2>&1 &
    local pid=$!
    printf -v "SERVE_PID_$name" '%s' "$pid"
    printf -v "SERVE_LOG_$name" '%s' "$log"
    SERVE_NAMES+=("$name")
    SERVE_URL="http://$addr:$port"
    for i in $(seq 100); do
        curl -s -o /dev/null "$SERVE_URL/style.css" && return 0
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    echo "# serve $name did not start:"; sed 's/^/# /' "$log"
    return 1
}

serve_stop() {
    local var="SERVE_PID_$1"
    local pid="${!var:-}"
    [ -n "$pid" ] || return 0
    kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    printf -v "SERVE_PID_$1" '%s' ""
}

serve_stop_all() {
    local n
    for n in "${SERVE_NAMES[@]}"; do serve_stop "$n"; done
}

HEAD="$SCRATCH/head"; BODY="$SCRATCH/body"; JAR="$SCRATCH/jar"; CSRF=""

# new_session: forget the cookie (a new resident, or a new browser).
new_session() { : >"$JAR"; CSRF=""; }

_took() {
    STATUS=$(awk 'NR==1 {print $2}' "$HEAD")
    local t
    t=$(grep -o 'name="csrf" value="[0-9a-f]*"' "$BODY" | head -1 | cut -d'"' -f4)
    [ -n "$t" ] && CSRF="$t"
    return 0
}
get() { curl -s -D "$HEAD" -o "$BODY" -b "$JAR" -c "$JAR" "$1"; _took; }
post() { curl -s -D "$HEAD" -o "$BODY" -b "$JAR" -c "$JAR" --data "csrf=$CSRF&$2" "$1"; _took; }
# The redirect's target path.
location() { grep -i '^location:' "$HEAD" | tr -d '\r' | sed -E 's#^[Ll]ocation: (https?://[^/]*)?##'; }

has_security_headers() {
    grep -qi "^content-security-policy: default-src 'self'.*frame-ancestors 'none'" "$HEAD" &&
        grep -qi '^referrer-policy: no-referrer' "$HEAD" &&
        grep -qi '^cache-control: no-store' "$HEAD"
}

# rid_in_district BATCH RESIDENTS DISTRICT [N]: the N-th ID of a letter in the district
# whose window has not ended (walk-in districts are not in the booking feed: their IDs come
# from the municipality's record).
rid_in_district() {
    local b="$1" res="$2" d="$3" n="${4:-1}"
    local r
    r=$(awk -F, -v d="$d" 'NR>1 && $5 == d && $3 >= "2027-01-01" {print $1}' \
        "$b/booking/reservations.csv" | sed -n "${n}p")
    if [ -z "$r" ]; then
        r=$(awk -F, -v d="$d" 'NR==FNR {if (FNR>1 && $8 == d) dist[$1]=1; next}
                               FNR>1 && dist[$1] {print $2}' "$res" "$b/internal/notices.csv" |
            tr -d '\r' | sed -n "${n}p")
    fi
    echo "$r"
}
# rid_expired BATCH DISTRICT: an ID whose certificate has already expired.
rid_expired() {
    awk -F, -v d="$2" 'NR>1 && $5 == d && $3 < "2026-12-01" {print $1; exit}' \
        "$1/booking/reservations.csv"
}
bday_of_rid() { awk -F, -v r="$3" '$1 == r {print $6}' "$1/booking/reservations.csv" | tr -d '\r'; }
# booking_numbers DB: the store's booking references, summed up as "N refs, B not Y+9 digits,
# C next to another, spread S%": sequential ones sit next to each other in a narrow band,
# random ones neither (the order they were made in is not needed).
booking_numbers() {
    "$BIN" export-bookings --db "$1" --since 2000-01-01 | tr -d '\r' | awk -F, 'NR>1 {print $1}' |
        sort -u | awk '{bad += $0 !~ /^Y[1-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]$/
                        print substr($0, 2) + 0, bad}' | sort -n |
        awk '{n++; bad = $2 > bad ? $2 : bad; if (n == 1) lo = $1; else near += $1 == hi + 1; hi = $1}
             END {printf "%d refs, %d not Y+9 digits, %d next to another, spread %d%%\n",
                         n, bad, near, (hi - lo) * 100 / 900000000}'
}
# numbers_random DB: booking_numbers as a test: at least 20 bookings, all 9 digits, none next
# to another, spread over more than a quarter of the 900 million (n random ones all inside
# a quarter: n x 0.25^(n-1)).
numbers_random() {
    local got; got=$(booking_numbers "$1")
    check "booking numbers are 9 digits and random ($got)" \
        awk -v g="$got" 'BEGIN {split(g, f, " "); sub("%", "", f[12])
                                exit !(f[1] >= 20 && f[3] == 0 && f[7] == 0 && f[12] > 25)}'
}

# browser_ready: Chromium, chromedriver, selenium and the PDF/QR tools, checked as tests;
# AXE: axe-core's script, or "-" where npm cannot reach its registry (no network, a proxy
# that inspects TLS): the pages are still walked and screenshotted and each axe check is a
# SKIP, said in the closing line; under CI=true tests/run.sh counts a skip as a failure.
browser_ready() {
    AXE="$ROOT/tests/browser/node_modules/axe-core/axe.min.js"
    if "$ROOT/scripts/install-axe.sh" 2>"$SCRATCH/axe.err"; then
        ok "axe-core installed (scripts/install-axe.sh)"
    else
        ok "# SKIP axe-core could not be installed: $(grep '^install-axe:' "$SCRATCH/axe.err" | tail -1)"
        grep -i 'npm error' "$SCRATCH/axe.err" | head -3 | sed 's/^/# /'
        AXE=-
    fi
    check "chromium, chromedriver, selenium, zbarimg and pdftoppm present" bash -c \
        'command -v chromium && command -v chromedriver && command -v zbarimg && command -v pdftoppm && /usr/bin/python3 -c "import selenium"'
}

# walk_tap FILE: a walk's TAP lines renumbered into this suite's, as "browser: ...".
walk_tap() {
    local line
    while IFS= read -r line; do
        case "$line" in
            "ok "*) ok "browser: ${line#* - }" ;;
            "not ok "*) not_ok "browser: ${line#* - }" ;;
            "#"*) echo "$line" ;;
        esac
    done <"$1"
}

# Reading the booking store a suite calls DB (the path its --db names), whichever the
# backend: helpers/backend_pg.sh redefines these for CN_BACKEND=pg.
#   store_where DB        what names it for a command: the file (a URI on PostgreSQL)
#   store_sql DB SQL      the query's rows, columns joined by '|' (SQL both backends read)
#   store_copy DB NEW     a copy of it under the name NEW
#   store_files DB        the files that hold it (the server's data folder on PostgreSQL)
#   sqlite_only WHAT      true on SQLite; on PostgreSQL false, saying which check it skips
store_where() { echo "$1"; }
store_sql() { sqlite3 "$1" "$2"; }
store_copy() { sqlite3 "$1" ".backup '$2'"; }
store_files() { ls "$1" "$1-wal" 2>/dev/null; }
sqlite_only() { return 0; }

# CN_BACKEND=pg runs the suite's booking store on PostgreSQL (tests/e2e/pg_serve.sh sets it).
[ "${CN_BACKEND:-sqlite}" = pg ] && source "$(dirname "${BASH_SOURCE[0]}")/backend_pg.sh"
