#!/usr/bin/env bash
# The night shares its database: a writer beside the run (as the booking service is) never
# waits for the lock longer than a fraction of the 5-second busy timeout, through ingest,
# issue, check, sort and publish, because the night commits its long work in chunks. And
# the chunks change nothing: the letters are those of a run with nobody beside it.
source "$(dirname "$0")/lib.sh"
DATE=2026-12-01
WAIT=0.8 # the longest a write may wait: a sixth of the 5-second busy timeout
INPUT="$SCRATCH/residents.csv"
python3 "$ROOT/scripts/gen-residents.py" --count "${NIGHT_WRITERS_RESIDENTS:-40000}" \
    --date "$DATE" --seed 11 >"$INPUT"

run() { # NAME INPUT: a night on database $SCRATCH/NAME.db
    "$BIN" run --date "$DATE" --input "$2" --db "$SCRATCH/$1.db" --out "$SCRATCH/$1.out" \
        --config "$CONFIG" --jobs 2 2>>"$SCRATCH/$1.log"
}

# The database exists before the writer starts (the service never creates it).
head -1 "$INPUT" >"$SCRATCH/empty.csv"
check_exit "a first night makes the database" 0 run shared "$SCRATCH/empty.csv"

STOP="$SCRATCH/stop"
sqlite3 "$SCRATCH/shared.db" 'CREATE TABLE night_writer_probe (id INTEGER PRIMARY KEY, at REAL)'
python3 "$ROOT/tests/e2e/helpers/night_writer.py" "$SCRATCH/shared.db" "$STOP" "$WAIT" \
    >"$SCRATCH/writer.out" 2>"$SCRATCH/writer.err" &
writer=$!
for _ in $(seq 100); do [ -e "$STOP.ready" ] && break; sleep 0.1; done
start=$(date +%s.%N)
run shared "$INPUT"
night_rc=$?
seconds=$(echo "$start $(date +%s.%N)" | awk '{printf "%.1f", $2 - $1}')
touch "$STOP"
wait "$writer"
read -r ok busy worst <"$SCRATCH/writer.out"
sed 's/^/# /' "$SCRATCH/writer.err" | head -5
echo "# night ${seconds}s; writer: $ok writes, $busy busy, longest wait ${worst}s"
check "the night completed beside the writer (exit $night_rc)" test "$night_rc" -le 1
check "the writer wrote all through the night ($ok writes)" test "${ok:-0}" -ge 20
check_eq "no write of the writer failed with a busy database" 0 "${busy:-1}"
check "no write waited $WAIT s or more (longest ${worst}s)" \
    awk -v w="${worst:-9}" -v max="$WAIT" 'BEGIN { exit !(w < max) }'
check "the stages of the night ran (ingest, issue, check, publish)" \
    bash -c "grep -q 'stage=ingest' '$SCRATCH/shared.log' && grep -q 'stage=issue' '$SCRATCH/shared.log' && grep -q 'stage=check' '$SCRATCH/shared.log' && grep -q 'stage=publish' '$SCRATCH/shared.log'"

# The same night alone: the same letters, the same residents stored.
check_exit "the night alone" 0 run alone "$INPUT"
letters() { cat "$1"/*/internal/notices.csv | grep -v '^resident_id' | cut -d, -f1,3- | sort; }
check "the same letters with and without the writer" \
    diff <(letters "$SCRATCH/shared.out") <(letters "$SCRATCH/alone.out")
q='select resident_id, name, postal_code, address, address2, returned_hold from residents order by 1'
check "the same residents stored" diff <(sqlite3 "$SCRATCH/shared.db" "$q") \
    <(sqlite3 "$SCRATCH/alone.db" "$q")
check_eq "the input file recorded once" 1 \
    "$(sqlite3 "$SCRATCH/shared.db" "select count(*) from input_files where path = '$INPUT'")"
done_testing
