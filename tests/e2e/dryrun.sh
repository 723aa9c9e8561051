#!/usr/bin/env bash
# run --dry-run decides and checks on a private copy of the database: stopped in the middle
# of the night (after the IDs are issued), it holds no lock, so the booking service can
# write; it finishes with the same report as before and leaves the database as it was.
source "$(dirname "$0")/lib.sh"
DATE=2026-12-01
DB="$SCRATCH/db/state.db"
mkdir -p "$SCRATCH/db"
json() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2], {"d": d}))' "$@"; }
# Migrated, with the postcode dictionary and no resident yet.
check "a database to start from" "$BIN" postal import --db "$DB" "$ROOT/input/postal/ken_all-kasugai.csv"

CERTNOTICE_FAULT=after_issue CERTNOTICE_FAULT_SIGNAL=STOP "$BIN" run --date "$DATE" \
    --input "$ROOT/input/sample" --db "$DB" --out "$SCRATCH/out" --config "$CONFIG" --dry-run \
    >"$SCRATCH/report.json" 2>"$SCRATCH/log" &
pid=$!
state=""
for _ in $(seq 1 600); do
    state=$(ps -o stat= -p "$pid" 2>/dev/null | cut -c1)
    [ "$state" = T ] && break
    sleep 0.1
done
check_eq "the dry run stopped after issuing IDs" T "$state"
# The service's kind of write: a lockout row, with a busy timeout far below the night's.
check "a writer gets the database meanwhile (no lock held)" \
    sqlite3 -cmd ".timeout 1000" "$DB" \
    "INSERT INTO lockouts (key, failures, first_at, locked_until) VALUES ('ip:test', 1, 0, 0)"
kill -CONT "$pid"
wait "$pid"
check_eq "the dry run then ends well" 0 "$?"
check_eq "its report says dry run" True "$(json "$SCRATCH/report.json" 'd["dry_run"]')"
letters=$(json "$SCRATCH/report.json" 'd["print"]["letters"]')
check "and counts tonight's letters" test "$letters" -gt 0
check_eq "the database keeps nothing of it: no resident, notice or run" "0 0 0" \
    "$(sqlite3 "$DB" "select (select count(*) from residents), (select count(*) from notices), (select count(*) from runs)" | tr '|' ' ')"
check_eq "the writer's row is there" 1 "$(sqlite3 "$DB" "select count(*) from lockouts")"
check_eq "no copy left beside the database" "" \
    "$(ls -A "$SCRATCH/db" | grep -v -e '^state\.db$' -e '^state\.db-wal$' -e '^state\.db-shm$' -e '^state\.db\.lock$')"
check "nothing published" test ! -e "$SCRATCH/out/$DATE"
done_testing
