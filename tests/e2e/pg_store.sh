#!/usr/bin/env bash
# The booking store's rules on PostgreSQL: the store_booking unit tests (seats, one active
# booking per ID, a change in one transaction, lockouts, a crowd racing for the last seats
# round after round) and store_session's (two connections as two nodes sharing sessions) against a private cluster this suite starts (helpers/pg.sh), and the
# store's opening: migrated once, a newer schema refused, an unreachable server named.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/helpers/pg.sh"
UNIT="${UNIT_DIR:-$ROOT/build/asan/tests}"

pg_start || { not_ok "a private PostgreSQL starts"; done_testing; exit 1; }
ok "a private PostgreSQL starts (initdb, 127.0.0.1:$PG_PORT)"

# The unit tests' TAP, renumbered into this suite's: the store modules' rules on PostgreSQL.
for t in test_store_booking test_store_session; do
    CMOCKA_MESSAGE_OUTPUT=TAP CN_TEST_PG="$PG_URI" "$UNIT/$t" >"$SCRATCH/$t.tap" 2>&1
    rc=$?
    while IFS= read -r line; do
        case "$line" in
        "ok "*) ok "$t on PostgreSQL: ${line#ok * - }" ;;
        "not ok "*) not_ok "$t on PostgreSQL: ${line#not ok * - }" ;;
        esac
    done <"$SCRATCH/$t.tap"
    check_eq "$t on PostgreSQL exits 0" 0 "$rc"
    [ "$rc" -eq 0 ] || sed 's/^/# /' "$SCRATCH/$t.tap" | tail -20
done

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

# Unreachable: a port nobody listens on.
free_port=$(_pg_free_port)
check_exit "an unreachable server is refused at start" 2 \
    "$BIN" export-bookings --db "postgresql://cn:secret@127.0.0.1:$free_port/cn"
cp "$SCRATCH/.last" "$SCRATCH/unreachable.out"
check "naming the database, not the password" \
    bash -c "grep -q 'cannot reach the database' '$SCRATCH/unreachable.out' && ! grep -q secret '$SCRATCH/unreachable.out'"

done_testing
