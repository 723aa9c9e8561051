#!/usr/bin/env bash
# The booking store's rules on PostgreSQL: the store_booking unit tests (seats, one active
# booking per ID, a change in one transaction, lockouts, a crowd racing for the last seats
# round after round) store_session's (two connections as two nodes sharing sessions) and store_staff's
# (accounts, staff sessions, the audit, marks, closures and seat changes), and test_store_pg's
# (nodes migrating an empty database at once; the server restarted under load) against a private cluster this suite starts (helpers/pg.sh), and the
# store's opening: migrated once, a newer schema refused, an unreachable server named.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/helpers/pg.sh"
UNIT="${UNIT_DIR:-$ROOT/build/asan/tests}"

pg_start || { not_ok "a private PostgreSQL starts"; done_testing; exit 1; }
ok "a private PostgreSQL starts (initdb, 127.0.0.1:$PG_PORT)"

# The unit tests' TAP, renumbered into this suite's: the store modules' rules on PostgreSQL,
# each binary on an empty database of its own.
export CN_TEST_PG_RESTART
CN_TEST_PG_RESTART=$(pg_restart_cmd)
for t in test_store_booking test_store_session test_store_staff test_store_pg; do
    uri=$(pg_newdb "$t") || { not_ok "a database for $t"; continue; }
    CMOCKA_MESSAGE_OUTPUT=TAP CN_TEST_PG="$uri" "$UNIT/$t" >"$SCRATCH/$t.tap" 2>&1
    rc=$?
    grep '^# [0-9]* booked' "$SCRATCH/$t.tap"
    while IFS= read -r line; do
        case "$line" in
        "ok "*) ok "$t on PostgreSQL: ${line#ok * - }" ;;
        "not ok "*) not_ok "$t on PostgreSQL: ${line#not ok * - }" ;;
        esac
    done <"$SCRATCH/$t.tap"
    check_eq "$t on PostgreSQL exits 0" 0 "$rc"
    [ "$rc" -eq 0 ] || sed 's/^/# /' "$SCRATCH/$t.tap" | tail -20
done

check "export-bookings on an empty database migrates it and lists nothing" \
    "$BIN" export-bookings --db "$PG_URI"
check_eq "the schema is at this program's version (the booking store's numbering)" \
    "$(sed -n '/define BOOKING_STORE_MIGRATIONS/,/^$/ s/.*X(\([0-9]*\),.*/\1/p' "$ROOT/batch/store/store_schema.c" | tail -1)" \
    "$(pg_sql 'SELECT version FROM certnotice_schema')"
check_eq "one active booking per ID is the database's own rule" "1" \
    "$(pg_sql "SELECT count(*) FROM pg_indexes WHERE indexname = 'bookings_one_active' AND indexdef LIKE '%UNIQUE%WHERE%'")"

# A newer schema than this program knows: refused, the database left as it is.
pg_sql "UPDATE certnotice_schema SET version = version + 1" >/dev/null
check_exit "export-bookings refuses a schema newer than it knows" 2 \
    "$BIN" export-bookings --db "$PG_URI"
cp "$SCRATCH/.last" "$SCRATCH/newer.out"
check "and says so" grep -q "newer than this certnotice knows" "$SCRATCH/newer.out"
pg_sql "UPDATE certnotice_schema SET version = version - 1" >/dev/null
check "export-bookings reads the store on PostgreSQL" "$BIN" export-bookings --db "$PG_URI"
check_eq "the store on PostgreSQL holds the booking store's tables, none of the night's" \
    "audit booking_numbers bookings certnotice_schema closures feed feed_batches lockouts seat_changes sessions slot_taken staff staff_sessions" \
    "$(pg_sql "SELECT string_agg(tablename, ' ' ORDER BY tablename) FROM pg_tables WHERE schemaname = 'public'")"

# The counter's accounts in the store on PostgreSQL: added, listed, the audit written there.
check "staff add writes an account to PostgreSQL" bash -c \
    "printf 'correct horse battery\ncorrect horse battery\n' | '$BIN' staff --db '$PG_URI' --config '$CONFIG' add clerk1 --all"
check "staff list reads it back" bash -c "'$BIN' staff --db '$PG_URI' list | grep -q '^clerk1 '"
check_eq "the account's hash is Argon2id, the audit names the command" "1|1" \
    "$(pg_sql "SELECT (SELECT count(*) FROM staff WHERE hash LIKE '\$argon2id\$%'), (SELECT count(*) FROM audit WHERE who LIKE 'cli:%')")"

# A primary and a streaming-replication standby; the URI names both, the writable one wanted.
if pg_standby_start; then
    ok "a streaming-replication standby of the server (pg_basebackup -R)"
    TWO="postgresql://cn@127.0.0.1:$PG_PORT,127.0.0.1:$PG_STANDBY_PORT/cn?target_session_attrs=read-write"
    check "staff add through the two-server URI writes on the primary" bash -c \
        "printf 'correct horse battery\ncorrect horse battery\n' | '$BIN' staff --db '$TWO' --config '$CONFIG' add before1 --all"
    for _ in $(seq 50); do
        [ "$(pg_sql -p "$PG_STANDBY_PORT" "SELECT count(*) FROM staff WHERE name = 'before1'")" = 1 ] && break
        sleep 0.1
    done
    check_eq "the standby has it (streamed)" 1 \
        "$(pg_sql -p "$PG_STANDBY_PORT" "SELECT count(*) FROM staff WHERE name = 'before1'")"
    pg_stop immediate
    check_exit "the primary lost, the standby not promoted: no writable server, refused" 2 \
        "$BIN" staff --db "$TWO" list
    pg_standby_promote
    check "the standby promoted: the same URI writes there" bash -c \
        "printf 'correct horse battery\ncorrect horse battery\n' | '$BIN' staff --db '$TWO' --config '$CONFIG' add after1 --all"
    check_eq "... with what the primary had" "after1 before1" \
        "$("$BIN" staff --db "$TWO" list | awk '$1 ~ /^(before1|after1)$/ {printf "%s%s", s, $1; s=" "}')"
    PG_PORT="$PG_STANDBY_PORT" PG_URI="postgresql://cn@127.0.0.1:$PG_STANDBY_PORT/cn"
else
    not_ok "a streaming-replication standby of the server (pg_basebackup -R)"
fi

# Unreachable: a port nobody listens on.
free_port=$(_pg_free_port)
check_exit "an unreachable server is refused at start" 2 \
    "$BIN" export-bookings --db "postgresql://cn:secret@127.0.0.1:$free_port/cn"
cp "$SCRATCH/.last" "$SCRATCH/unreachable.out"
check "naming the database, not the password" \
    bash -c "grep -q 'cannot reach the database' '$SCRATCH/unreachable.out' && ! grep -q secret '$SCRATCH/unreachable.out'"
check_exit "report on an unreachable server: refused" 2 \
    "$BIN" report --config "$CONFIG" --db "postgresql://cn:secret@127.0.0.1:$free_port/cn"
cp "$SCRATCH/.last" "$SCRATCH/unreachable-report.out"
check "... naming the database with its password masked" bash -c \
    "grep -q 'cn:\*\*\*@127.0.0.1:$free_port/cn: cannot reach the database' '$SCRATCH/unreachable-report.out' &&
     ! grep -q secret '$SCRATCH/unreachable-report.out'"
check "report on the store, a password in the URI: its heading shows the URI masked" bash -c \
    "'$BIN' report --config '$CONFIG' --db '${PG_URI/cn@/cn:secret@}' >'$SCRATCH/report.out' 2>&1 &&
     grep -q '^certnotice report: postgresql://cn:\*\*\*@.* (a booking store)' '$SCRATCH/report.out' &&
     ! grep -q secret '$SCRATCH/report.out'"

done_testing
