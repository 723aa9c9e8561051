# CN_BACKEND=pg: the booking suites on PostgreSQL. A private cluster (helpers/pg.sh) starts,
# and $BIN becomes a wrapper that gives the booking store's commands (serve, feed,
# export-bookings, staff) a database of that cluster for each --db path they name; the
# night's commands keep their SQLite files. Sourced by helpers/serve.sh.
source "$(dirname "${BASH_SOURCE[0]}")/pg.sh"
if pg_start; then
    ok "CN_BACKEND=pg: the booking store on a private PostgreSQL (127.0.0.1:$PG_PORT)"
else
    not_ok "CN_BACKEND=pg: a private PostgreSQL starts"
fi
trap 'serve_stop_all; pg_stop; rm -rf "$SCRATCH"' EXIT
mkdir -p "$SCRATCH/pgbin"
cat >"$SCRATCH/pgbin/certnotice" <<WRAP
#!/usr/bin/env bash
case "\$1" in serve|feed|export-bookings|staff) ;; *) exec "$BIN" "\$@" ;; esac
args=() prev=""
for a in "\$@"; do
    orig="\$a"
    if [ "\$prev" = --db ]; then
        name="s_\$(printf %s "\$a" | md5sum | cut -c1-16)"
        "$PG_BIN/psql" -X -q -A -t -h 127.0.0.1 -p "$PG_PORT" -U cn -d cn \\
            -c "SELECT 1 FROM pg_database WHERE datname = '\$name'" | grep -q 1 ||
            "$PG_BIN/psql" -X -q -h 127.0.0.1 -p "$PG_PORT" -U cn -d cn \\
                -c "CREATE DATABASE \$name" >/dev/null 2>&1
        a="postgresql://cn@127.0.0.1:$PG_PORT/\$name"
    fi
    args+=("\$a")
    prev="\$orig"
done
exec "$BIN" "\${args[@]}"
WRAP
chmod +x "$SCRATCH/pgbin/certnotice"
BIN="$SCRATCH/pgbin/certnotice"
