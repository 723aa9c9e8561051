# helpers/pg.sh: a private PostgreSQL for a suite: initdb in a folder of $SCRATCH, listening on
# 127.0.0.1 on a free port, its socket in that folder, trust authentication, stopped (-m fast)
# when the suite exits. Never touches a system cluster. Source it after lib.sh.
#
#   pg_start            starts the cluster; sets PG_URI (postgresql://cn@127.0.0.1:PORT/cn),
#                       PG_PORT and PG_DIR; returns non-zero (with the log on stderr) if it cannot
#   pg_stop [MODE]      stops it (fast by default; "immediate" is a crash)
#   pg_restart_later S  a crash-free restart: stop fast, wait S seconds, start again (in the
#                       background: the caller goes on sending requests meanwhile)
#   pg_restart_cmd      prints a command line that restarts the server (-m fast: every
#                       connection cut), for a test that restarts it from inside
#   pg_standby_start    a streaming-replication standby of the cluster (pg_basebackup -R, a
#                       fast checkpoint: a spread one waits a minute and more) on
#                       another free port; sets PG_STANDBY_PORT, PG_STANDBY_DIR
#   pg_standby_promote  promotes it (waits until it accepts writes)
#   pg_newdb NAME       creates another empty database in the cluster; prints its URI
#   pg_sql SQL          runs SQL in the suite's database (psql, no .psqlrc), prints the rows
#
# initdb refuses to run as root: as root the cluster runs as the unprivileged user postgres
# (the postgresql package creates it; created here if missing), which needs its folder only.
PG_BIN="${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}"
PG_DIR="" PG_PORT="" PG_URI=""

_pg_as() { # runs a command as the cluster's owner
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

_pg_free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

pg_start() {
    [ -x "$PG_BIN/initdb" ] || { echo "pglib: no initdb under $PG_BIN (apt-get install postgresql)" >&2; return 1; }
    if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
        useradd -r -M -d /nonexistent -s /usr/sbin/nologin postgres || return 1
    fi
    PG_DIR="$SCRATCH/pg"
    mkdir -p "$PG_DIR"
    # $SCRATCH is mode 0700 and root's: the cluster's owner must reach its own folder.
    if [ "$(id -u)" -eq 0 ]; then
        chmod 0711 "$SCRATCH"
        chown postgres "$PG_DIR"
    fi
    _pg_as "$PG_BIN/initdb" -D "$PG_DIR/data" -U cn -A trust -E UTF8 --locale=C.UTF-8 \
        --no-sync >"$PG_DIR/initdb.log" 2>&1 || { cat "$PG_DIR/initdb.log" >&2; return 1; }
    PG_PORT=$(_pg_free_port)
    # Enough connections for two nodes' pools and the suites' own; fsync off: the suites
    # test crashes of certnotice and restarts of the server, never a power cut.
    cat >>"$PG_DIR/data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PG_DIR'
max_connections = 200
fsync = off
synchronous_commit = on
full_page_writes = off
shared_buffers = 64MB
logging_collector = off
EOF
    _pg_start_server || return 1
    _pg_as "$PG_BIN/createdb" -h "$PG_DIR" -p "$PG_PORT" -U cn cn || return 1
    PG_URI="postgresql://cn@127.0.0.1:$PG_PORT/cn"
    export PG_URI PG_PORT PG_DIR
    trap 'pg_stop; rm -rf "$SCRATCH"' EXIT
}

_pg_start_server() {
    _pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 30 start \
        >/dev/null || { cat "$PG_DIR/server.log" >&2; return 1; }
}

pg_stop() {
    [ -n "$PG_DIR" ] && [ -f "$PG_DIR/data/postmaster.pid" ] || return 0
    _pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m "${1:-fast}" -w stop >/dev/null 2>&1
}

pg_restart_later() {
    (
        pg_stop fast
        sleep "$1"
        _pg_start_server
    ) &
}

pg_restart_cmd() {
    local as=""
    [ "$(id -u)" -eq 0 ] && as="runuser -u postgres --"
    echo "$as $PG_BIN/pg_ctl -D $PG_DIR/data -l $PG_DIR/server.log -m fast -w -t 30 restart >/dev/null"
}

pg_standby_start() {
    PG_STANDBY_DIR="$SCRATCH/pg-standby"
    mkdir -p "$PG_STANDBY_DIR"
    [ "$(id -u)" -eq 0 ] && chown postgres "$PG_STANDBY_DIR"
    _pg_as "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$PG_PORT" -U cn -D "$PG_STANDBY_DIR/data" \
        -R -X stream -c fast --no-sync >"$PG_STANDBY_DIR/basebackup.log" 2>&1 ||
        { cat "$PG_STANDBY_DIR/basebackup.log" >&2; return 1; }
    PG_STANDBY_PORT=$(_pg_free_port)
    cat >>"$PG_STANDBY_DIR/data/postgresql.conf" <<EOF2
port = $PG_STANDBY_PORT
unix_socket_directories = '$PG_STANDBY_DIR'
EOF2
    _pg_as "$PG_BIN/pg_ctl" -D "$PG_STANDBY_DIR/data" -l "$PG_STANDBY_DIR/server.log" -w -t 30 \
        start >/dev/null || { cat "$PG_STANDBY_DIR/server.log" >&2; return 1; }
    trap 'pg_stop; _pg_as "$PG_BIN/pg_ctl" -D "$PG_STANDBY_DIR/data" -m immediate stop >/dev/null 2>&1; rm -rf "$SCRATCH"' EXIT
}

pg_standby_promote() {
    _pg_as "$PG_BIN/pg_ctl" -D "$PG_STANDBY_DIR/data" -w -t 30 promote >/dev/null
}

pg_newdb() {
    _pg_as "$PG_BIN/createdb" -h "$PG_DIR" -p "$PG_PORT" -U cn "$1" >&2 &&
        echo "postgresql://cn@127.0.0.1:$PG_PORT/$1"
}

pg_sql() { # [-p PORT] SQL
    local port="$PG_PORT"
    [ "$1" = -p ] && { port="$2"; shift 2; }
    "$PG_BIN/psql" -X -q -A -t -h 127.0.0.1 -p "$port" -U cn -d cn -c "$1"
}
