# CN_BACKEND=pg: the booking suites on PostgreSQL. A private cluster (helpers/pg.sh) starts,
# and $BIN becomes a wrapper that gives the booking store's commands (serve, feed,
# export-bookings, staff) a database of that cluster for each --db path they name; the
# night's commands keep their SQLite files. The suites read that database through
# store_where, store_sql, store_copy, store_files and sqlite_only (helpers/serve.sh), which
# this file redefines. Sourced by helpers/serve.sh.
source "$(dirname "${BASH_SOURCE[0]}")/pg.sh"
if pg_start; then
    ok "CN_BACKEND=pg: the booking store on a private PostgreSQL (127.0.0.1:$PG_PORT)"
else
    not_ok "CN_BACKEND=pg: a private PostgreSQL starts"
fi
trap 'serve_stop_all; pg_stop; rm -rf "$SCRATCH"' EXIT

# The database that stands for the file PATH: named by the path's digest, created on first use.
_pg_store_name() { echo "s_$(printf %s "$1" | md5sum | cut -c1-16)"; }
store_where() {
    local name
    [[ "$1" == postgres*://* ]] && { echo "$1"; return; } # a URI names itself
    name=$(_pg_store_name "$1")
    "$PG_BIN/psql" -X -q -A -t -h 127.0.0.1 -p "$PG_PORT" -U cn -d cn \
        -c "SELECT 1 FROM pg_database WHERE datname = '$name'" | grep -q 1 ||
        "$PG_BIN/psql" -X -q -h 127.0.0.1 -p "$PG_PORT" -U cn -d cn \
            -c "CREATE DATABASE $name" >/dev/null 2>&1
    echo "postgresql://cn@127.0.0.1:$PG_PORT/$name"
}
store_sql() { "$PG_BIN/psql" -X -q -A -t -d "$(store_where "$1")" -c "$2"; }
# A database copied whole (its template): no connection may be open on the original.
store_copy() {
    "$PG_BIN/psql" -X -q -h 127.0.0.1 -p "$PG_PORT" -U cn -d cn \
        -c "CREATE DATABASE $(_pg_store_name "$2") TEMPLATE $(_pg_store_name "$1")" >/dev/null
}
store_files() { echo "$PG_DIR/data"; }
sqlite_only() { echo "# SQLite only, not run on PostgreSQL: $*"; return 1; }

mkdir -p "$SCRATCH/pgbin"
cat >"$SCRATCH/pgbin/certnotice" <<WRAP
#!/usr/bin/env bash
case "\$1" in serve|feed|export-bookings|staff) ;; *) exec "$BIN" "\$@" ;; esac
PG_BIN="$PG_BIN" PG_PORT="$PG_PORT"
$(declare -f _pg_store_name store_where)
args=() prev=""
for a in "\$@"; do
    orig="\$a"
    [ "\$prev" = --db ] && a=\$(store_where "\$a")
    args+=("\$a")
    prev="\$orig"
done
exec "$BIN" "\${args[@]}"
WRAP
chmod +x "$SCRATCH/pgbin/certnotice"
BIN="$SCRATCH/pgbin/certnotice"
