#!/usr/bin/env bash
# One run per database at a time: a second run while one holds the lock exits 4 at once,
# naming the holder's pid, and touches nothing, whatever path it names the database by (a
# symlink, "./", a hard link); after the holder finishes, or is killed by SIGKILL, the
# next run proceeds.
source "$(dirname "$0")/lib.sh"
DATE=2026-12-01
# Big enough that a run holds the lock for a good while (ingest alone takes seconds), so
# the test catches it holding the lock before it finishes.
INPUT="$SCRATCH/residents.csv"
python3 "$ROOT/scripts/gen-residents.py" --count 20000 --date "$DATE" >"$INPUT"
DB="$SCRATCH/state.db"
run() { # OUT [db]
    "$BIN" run --date "$DATE" --input "$INPUT" --db "${2:-$DB}" --out "$1" --config "$CONFIG"
}
runs() { sqlite3 "$DB" 'select count(*) from runs'; }

# hold NAME: starts a run in the background and stops it (SIGSTOP) once it holds the lock,
# so the lock is held for as long as the test needs. Sets HOLDER to its pid.
hold() {
    "$BIN" run --date "$DATE" --input "$INPUT" --db "$DB" --out "$SCRATCH/$1" \
        --config "$CONFIG" 2>"$SCRATCH/$1.log" &
    HOLDER=$!
    local i
    # The lock file names its holder only after flock() succeeded.
    for ((i = 0; i < 6000; i++)); do
        grep -q "^pid $HOLDER " "$DB.lock" 2>/dev/null && break
        sleep 0.01
    done
    kill -STOP "$HOLDER" || return 1
    # Stopped, not finished (a zombie would be 'Z'); the stop takes effect asynchronously.
    for ((i = 0; i < 1000; i++)); do
        [ "$(awk '{print $3}' "/proc/$HOLDER/stat")" = T ] && break
        sleep 0.01
    done
    [ "$(awk '{print $3}' "/proc/$HOLDER/stat")" = T ] || { echo "not stopped"; return 1; }
    grep -q "^pid $HOLDER " "$DB.lock"
}

check "a run takes the lock (and is stopped holding it)" hold first
# timeout only guards against a run that waits for the lock instead of refusing: the
# holder is stopped, so such a run would never return.
check_exit "a second run meanwhile exits 4" 4 timeout 120 "$BIN" run --date "$DATE" \
    --input "$INPUT" --db "$DB" --out "$SCRATCH/second" --config "$CONFIG"
cp "$SCRATCH/.last" "$SCRATCH/second.log"
sed 's/^/# /' "$SCRATCH/second.log"
check "its message names the holder's pid" grep -q "pid $HOLDER\\b" "$SCRATCH/second.log"
check "its message names the lock file" grep -qF "$DB.lock" "$SCRATCH/second.log"
check "it wrote no output folder" test ! -e "$SCRATCH/second"
# The lock is the database file's: every other name for it meets the same lock.
ln -s "$DB" "$SCRATCH/link.db"
check_exit "a run through a symlink to the database exits 4" 4 timeout 120 "$BIN" run \
    --date "$DATE" --input "$INPUT" --db "$SCRATCH/link.db" --out "$SCRATCH/second" \
    --config "$CONFIG"
cp "$SCRATCH/.last" "$SCRATCH/link.log"
check "its message names the holder's pid" grep -q "pid $HOLDER\\b" "$SCRATCH/link.log"
check_exit "a run through ./ from the database's folder exits 4" 4 bash -c \
    "cd '$SCRATCH' && timeout 120 '$BIN' run --date $DATE --input '$INPUT' --db ./state.db \
        --out '$SCRATCH/second' --config '$CONFIG'"
mkdir "$SCRATCH/x"
check_exit "a run through .// and .. exits 4" 4 timeout 120 "$BIN" run --date "$DATE" \
    --input "$INPUT" --db "$SCRATCH/.//x/../state.db" --out "$SCRATCH/second" \
    --config "$CONFIG"
ln "$DB" "$SCRATCH/hard.db"
check_exit "a run through a hard link exits 4" 4 timeout 120 "$BIN" run --date "$DATE" \
    --input "$INPUT" --db "$SCRATCH/hard.db" --out "$SCRATCH/second" --config "$CONFIG"
rm "$SCRATCH/hard.db"
check "none of them wrote an output folder" test ! -e "$SCRATCH/second"
check_exit "a dry run meanwhile exits 4 too" 4 timeout 120 "$BIN" run --date "$DATE" \
    --input "$INPUT" --db "$DB" --out "$SCRATCH/second" --config "$CONFIG" --dry-run
check_exit "a run on another database is not held up" 0 timeout 300 "$BIN" run --date "$DATE" \
    --input "$ROOT/input/sample/residents.csv" --db "$SCRATCH/other.db" --out "$SCRATCH/other" \
    --config "$CONFIG"
kill -CONT "$HOLDER"
wait "$HOLDER"
check_eq "the holder, resumed, finishes with exit 0" 0 "$?"
check_eq "the refused runs left no trace in the database (one run recorded)" 1 "$(runs)"
check_exit "after it finished, the next run proceeds" 0 run "$SCRATCH/third"
check_eq "and is recorded" 2 "$(runs)"

# The holder dies by SIGKILL: the kernel drops the lock with it, and the stale pid left in
# the lock file does not block the next night.
check "another run takes the lock" hold killed
kill -KILL "$HOLDER"
wait "$HOLDER" 2>/dev/null
check_eq "it dies by SIGKILL" 137 "$?"
check "the lock file still names the dead holder" grep -q "^pid $HOLDER " "$DB.lock"
check_exit "the next run proceeds" 0 run "$SCRATCH/after-kill"
check "the lock file no longer names the dead run" \
    bash -c "! grep -q '^pid $HOLDER ' '$DB.lock'"

done_testing
