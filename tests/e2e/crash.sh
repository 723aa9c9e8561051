#!/usr/bin/env bash
# Crash safety of the nightly run: SIGKILL at every fault injection point and at random
# moments, SIGTERM likewise, then a rerun without the fault. Whatever the moment, every due letter is
# published exactly once across the batch folders, with the reservation ID issued before
# the crash, no notice is left 'publishing', every visible batch folder is whole, no
# partial folder is left, and the letters are those one uninterrupted run prints.
#
#   CRASH_FULL=1      5,000 letters with the release build (build/certnotice)
#   CRASH_SEED=N      seed of the random kill delays (printed; rerun with it to reproduce)
#   CRASH_RESIDENTS=N residents generated in the normal mode (default ~1,500 letters)
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/helpers/batches.sh"
DATE=2026-12-01
SEED="${CRASH_SEED:-20261201}"
if [ "${CRASH_FULL:-0}" = 1 ]; then
    BIN="$ROOT/build/certnotice"
    RESIDENTS=80000 MIN_LETTERS=5000 KILLS=8
else
    RESIDENTS="${CRASH_RESIDENTS:-22700}" MIN_LETTERS=1000 KILLS=4
    [ -n "${CRASH_RESIDENTS:-}" ] && MIN_LETTERS=1 # a quick look with fewer letters
fi
echo "# binary $BIN, $RESIDENTS residents, random kill seed $SEED (CRASH_SEED=$SEED to reproduce)"

CFG="$SCRATCH/demo-200.xml"
check "config copy with batch size 200" make_config 200 "$CFG"
INPUT="$SCRATCH/residents.csv"
python3 "$ROOT/scripts/gen-residents.py" --count "$RESIDENTS" --date "$DATE" >"$INPUT"

# run NAME [VAR=VALUE...]: the night's run on database $SCRATCH/NAME.db into $SCRATCH/NAME.out.
run() {
    local name="$1"; shift
    env "$@" "$BIN" run --date "$DATE" --input "$INPUT" --db "$SCRATCH/$name.db" \
        --out "$SCRATCH/$name.out" --config "$CFG" --jobs 2 2>>"$SCRATCH/$name.log"
}

# The reference: one uninterrupted run on a fresh database.
start=$(date +%s.%N)
check_exit "uninterrupted run on a fresh database exits 0" 0 run ref
REF_SECONDS=$(echo "$start $(date +%s.%N)" | awk '{printf "%.1f", $2 - $1}')
published "$SCRATCH/ref.out" >"$SCRATCH/ref.letters"
LETTERS=$(wc -l <"$SCRATCH/ref.letters")
echo "# the uninterrupted run printed $LETTERS letters"
check "it printed at least $MIN_LETTERS letters" test "$LETTERS" -ge "$MIN_LETTERS"
check "its batch folder is whole" batches_whole "$SCRATCH/ref.out"
sqlite3 "$SCRATCH/ref.db" 'select resident_id, cert_expiry from notices order by 1, 2' \
    >"$SCRATCH/ref.notices"

# after_crash NAME WHAT: what must hold at any moment after a crash. Issue commits in
# chunks (the store yields to the booking service), so a crash inside it leaves some of
# the night's IDs: every notice must be one the uninterrupted run issued, and an ID once
# seen never changes. The snapshot grows as later runs issue the rest.
after_crash() {
    local name="$1" what="$2" db="$SCRATCH/$1.db"
    check "$what: every visible batch folder is whole" batches_whole "$SCRATCH/$name.out"
    [ -f "$db" ] || return 0
    [ "$(sqlite3 "$db" 'select count(*) from notices' 2>/dev/null || echo 0)" -gt 0 ] || return 0
    db_rids "$db" >"$SCRATCH/$name.now"
    check_eq "$what: IDs issued only for residents and expiries due" "" \
        "$(cut -d'|' -f1,2 "$SCRATCH/$name.now" | sort | comm -23 - <(sort "$SCRATCH/ref.notices") | head -3)"
    if [ -s "$SCRATCH/$name.rids" ]; then
        check_eq "$what: reservation IDs issued before are unchanged" "" \
            "$(comm -23 <(sort "$SCRATCH/$name.rids") <(sort "$SCRATCH/$name.now") | head -3)"
    fi
    cp "$SCRATCH/$name.now" "$SCRATCH/$name.rids"
}

# final_checks NAME: after the clean rerun.
final_checks() {
    local name="$1" db="$SCRATCH/$1.db" out="$SCRATCH/$1.out"
    check_eq "$name: no notice left 'publishing'" 0 "$(db_count "$db" publishing)"
    check_eq "$name: no notice left merely 'issued'" 0 "$(db_count "$db" issued)"
    check "$name: no partial folder left" no_partial "$out"
    check "$name: every batch folder whole (checksums, manifest pages = pdfinfo)" batches_whole "$out"
    published "$out" >"$SCRATCH/$name.letters"
    check_eq "$name: no letter published twice" "" "$(uniq -d "$SCRATCH/$name.letters" | head -5)"
    check "$name: the letters published are those of the uninterrupted run" \
        diff "$SCRATCH/ref.letters" "$SCRATCH/$name.letters"
    check_eq "$name: PDF pages across all batches = 2 per letter" "$((2 * LETTERS))" "$(pdf_pages "$out")"
    check "$name: the database's published notices (ID, batch) are those in the folders" \
        diff <(db_published "$db") <(published_rids "$out")
    check_eq "$name: reservation IDs issued before the crashes are unchanged" "" \
        "$(comm -23 <(sort "$SCRATCH/$name.rids") <(db_rids "$db" | sort) | head -3)"
    check_eq "$name: IDs issued for exactly the residents and expiries due" \
        "$(cat "$SCRATCH/ref.notices")" \
        "$(sqlite3 "$db" 'select resident_id, cert_expiry from notices order by 1, 2')"
}

visible() { batch_dirs "$SCRATCH/$1.out" | wc -l; }

# ---- every injection point, in the order a run passes them, on one database: each run
# ---- is the recovery of the one before and dies at the next point.
N=pts
check_exit "killed after ingest" 137 run $N CERTNOTICE_FAULT=after_ingest
check_eq "after_ingest: no notice issued yet" 0 "$(sqlite3 "$SCRATCH/$N.db" 'select count(*) from notices')"
after_crash $N after_ingest
check_exit "killed while issuing ID 700" 137 run $N CERTNOTICE_FAULT=issue:700
after_crash $N issue
check_exit "killed after issue" 137 run $N CERTNOTICE_FAULT=after_issue
after_crash $N after_issue
check "after_issue: the IDs were committed" test -s "$SCRATCH/$N.rids"
check_exit "killed while rendering letter 300" 137 run $N CERTNOTICE_FAULT=render:300
check "render: a partial folder exists, hidden" bash -c "ls -A '$SCRATCH/$N.out' | grep -q '^\\..*\\.partial\$'"
check_eq "render: no batch folder visible" 0 "$(visible $N)"
after_crash $N render
for point in after_render after_finish after_publishing_mark; do
    check_exit "killed at $point" 137 run $N CERTNOTICE_FAULT=$point
    check_eq "$point: no batch folder visible" 0 "$(visible $N)"
    after_crash $N $point
done
check_eq "after_publishing_mark: the letters are marked 'publishing'" "$LETTERS" \
    "$(db_count "$SCRATCH/$N.db" publishing)"
check_exit "killed after the rename (recovering the run killed before it)" 137 \
    run $N CERTNOTICE_FAULT=after_rename
check_eq "after_rename: the batch folder is visible" 1 "$(visible $N)"
check_eq "after_rename: its letters are still marked 'publishing'" "$LETTERS" \
    "$(db_count "$SCRATCH/$N.db" publishing)"
after_crash $N after_rename
check_exit "clean rerun exits 0" 0 run $N
check "it recovered the batch as published" grep -q 'published (the folder is in place)' "$SCRATCH/$N.log"
final_checks $N

# ---- killed after the published mark, on a fresh database: nothing left to recover.
N=pub
check_exit "killed after the published mark" 137 run $N CERTNOTICE_FAULT=after_published_mark
check_eq "after_published_mark: nothing 'publishing'" 0 "$(db_count "$SCRATCH/$N.db" publishing)"
after_crash $N after_published_mark
check_exit "rerun exits 0" 0 run $N
final_checks $N

# ---- a crash leaves OUT/.DATE.partial, full of letters (names, addresses); the next
# ---- night's run has another date, so another batch name, and must still remove it.
N=nextday
night() { # DATE [VAR=VALUE...]: the small sample is enough here
    local day="$1"; shift
    env "$@" "$BIN" run --date "$day" --input "$ROOT/input/sample/residents.csv" \
        --db "$SCRATCH/$N.db" --out "$SCRATCH/$N.out" --config "$CFG" 2>>"$SCRATCH/$N.log"
}
check_exit "killed after rendering (next-night case)" 137 night "$DATE" CERTNOTICE_FAULT=after_render
check "a partial folder is left by the crash" bash -c "ls -A '$SCRATCH/$N.out' | grep -q partial"
NEXT=$(date -d "$DATE + 1 day" +%F)
check_exit "the next night's run exits 0" 0 night "$NEXT"
check "it removed the crashed night's partial folder" no_partial "$SCRATCH/$N.out"
check_eq "one batch folder, the next night's" "$NEXT" "$(ls "$SCRATCH/$N.out")"

# ---- killed between the rename and the 'published' mark, then rerun from another folder
# ---- with another --out: the batch is found by the absolute path the database recorded,
# ---- so its letters are not printed a second time into the new folder.
N=moved
mkdir -p "$SCRATCH/$N.a" "$SCRATCH/$N.b"
moved() { # DIR OUT [VAR=VALUE...]: run from DIR with a relative --out
    local dir="$1" out="$2"; shift 2
    (cd "$dir" && env "$@" "$BIN" run --date "$DATE" --input "$ROOT/input/sample/residents.csv" \
        --db "$SCRATCH/$N.db" --out "$out" --config "$CFG" 2>>"$SCRATCH/$N.log")
}
check_exit "killed after the rename (moved-out case)" 137 moved "$SCRATCH/$N.a" out CERTNOTICE_FAULT=after_rename
check_exit "rerun from another folder with another --out exits 0" 0 moved "$SCRATCH/$N.b" other
check_eq "the new folder's batch prints no letter again" 0 \
    "$(published "$SCRATCH/$N.b/other" | wc -l)"
check_eq "the interrupted batch's letters are all marked published" 0 "$(db_count "$SCRATCH/$N.db" publishing)"
check_eq "the database points at the first folder" "$SCRATCH/$N.a/out/$DATE" \
    "$(sqlite3 "$SCRATCH/$N.db" "select distinct batch from notices where status = 'published'")"

# ---- killed between the rename and the 'published' mark, then the batch shipped away (IT
# ---- moves published folders to the vendor): no partial folder is left, so the rename
# ---- happened, and the rerun prints none of its letters again.
N=shipped
check_exit "killed after the rename (shipped case)" 137 night "$DATE" CERTNOTICE_FAULT=after_rename
SHIPPED=$(published "$SCRATCH/$N.out" | wc -l)
mkdir -p "$SCRATCH/$N.vendor"
mv "$SCRATCH/$N.out/$DATE" "$SCRATCH/$N.vendor/"
check_exit "the rerun, the batch folder gone, exits 0" 0 night "$DATE"
check_eq "it prints none of the shipped letters again" 0 "$(published "$SCRATCH/$N.out" | wc -l)"
check_eq "the shipped letters are all marked published" "$SHIPPED" "$(db_count "$SCRATCH/$N.db" published)"
check_eq "none is left 'publishing' or 'issued'" 0 \
    "$(($(db_count "$SCRATCH/$N.db" publishing) + $(db_count "$SCRATCH/$N.db" issued)))"
check "the log says it was renamed, then moved away" grep -q 'moved away since' "$SCRATCH/$N.log"

# ---- the same, but the whole output folder went (partial folder and all): taken as
# ---- published, never printed twice, with an error asking IT to check.
N=outgone
check_exit "killed after the rename (output folder removed case)" 137 night "$DATE" \
    CERTNOTICE_FAULT=after_rename
mv "$SCRATCH/$N.out" "$SCRATCH/$N.elsewhere"
check_exit "the rerun exits 0" 0 night "$DATE"
check_eq "it prints none of the letters again" 0 "$(published "$SCRATCH/$N.out" | wc -l)"
check "the log says so as an error, pointing at reprint" \
    grep -q 'level=error stage=recover.*reprint' "$SCRATCH/$N.log"

# ---- the rename itself fails (the batch's name was taken meanwhile): the letters go back
# ---- to 'issued' before the partial folder is removed, and the next run prints them once.
N=renamefail
# Started directly (not through night) so that $! is the binary's own pid.
CERTNOTICE_FAULT=after_publishing_mark CERTNOTICE_FAULT_SIGNAL=STOP "$BIN" run --date "$DATE" \
    --input "$ROOT/input/sample/residents.csv" --db "$SCRATCH/$N.db" --out "$SCRATCH/$N.out" \
    --config "$CFG" 2>>"$SCRATCH/$N.log" &
pid=$!
for ((i = 0; i < 3000; i++)); do
    [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" = T ] && break
    sleep 0.02
done
check_eq "the run stops after the publishing mark" T "$(awk '{print $3}' "/proc/$pid/stat")"
mkdir "$SCRATCH/$N.out/$DATE"
kill -CONT "$pid"
wait "$pid"
check_eq "its rename fails: exit 5" 5 "$?"
check_eq "no notice is left 'publishing'" 0 "$(db_count "$SCRATCH/$N.db" publishing)"
check "the partial folder is removed" no_partial "$SCRATCH/$N.out"
rmdir "$SCRATCH/$N.out/$DATE"
check_exit "the next run exits 0" 0 night "$DATE"
check_eq "it prints every letter due once (as many as the shipped batch)" "$SHIPPED" \
    "$(published "$SCRATCH/$N.out" | uniq | wc -l)"
check_eq "and none twice" "" "$(published "$SCRATCH/$N.out" | uniq -d)"
check "the letters are all published" test "$(db_count "$SCRATCH/$N.db" published)" -gt 0

# ---- SIGTERM (systemd's stop) at each stage: the run logs it, rolls back the stage in
# ---- hand, marks its run row interrupted and exits 7; once the letters are marked
# ---- 'publishing' it finishes the batch instead. The rerun completes the night.
N=term
last_run() { sqlite3 "$SCRATCH/$N.db" 'select exit_code, summary from runs order by id desc limit 1'; }
for point in after_ingest issue:5 after_issue render:5 after_render after_finish; do
    check_exit "SIGTERM at $point: exit 7" 7 night "$DATE" CERTNOTICE_FAULT=$point \
        CERTNOTICE_FAULT_SIGNAL=TERM
    check "$point: the stop is logged" grep -q "SIGTERM received: stopping at" "$SCRATCH/$N.log"
    check "$point: the run row says interrupted (exit 7)" \
        bash -c "[[ \"\$(sqlite3 '$SCRATCH/$N.db' 'select exit_code, summary from runs order by id desc limit 1')\" == 7\|*'interrupted by SIGTERM'* ]]"
    check_eq "$point: no batch folder visible" 0 "$(visible $N)"
    check "$point: no partial folder left" no_partial "$SCRATCH/$N.out"
    check_eq "$point: nothing left 'publishing'" 0 "$(db_count "$SCRATCH/$N.db" publishing)"
done
check_exit "SIGINT (Ctrl-C) after issue: exit 7 too" 7 night "$DATE" CERTNOTICE_FAULT=after_issue \
    CERTNOTICE_FAULT_SIGNAL=INT
check_exit "SIGTERM after the publishing mark: the batch is finished (exit 0)" 0 night "$DATE" \
    CERTNOTICE_FAULT=after_publishing_mark CERTNOTICE_FAULT_SIGNAL=TERM
check_eq "that batch is published" 1 "$(visible $N)"
check_eq "nothing left 'publishing' or 'issued'" 0 \
    "$(($(db_count "$SCRATCH/$N.db" publishing) + $(db_count "$SCRATCH/$N.db" issued)))"
check_exit "the rerun exits 0" 0 night "$DATE"
check_eq "no letter printed twice" "" "$(published "$SCRATCH/$N.out" | uniq -d)"
check_eq "every letter due printed (as many as the shipped batch)" "$SHIPPED" \
    "$(published "$SCRATCH/$N.out" | wc -l)"

# ---- SIGTERM at random moments, as the SIGKILLs below: each run exits 7 (or 0 if it was
# ---- done), the next one completes the night, and no stop takes longer than the systemd
# ---- unit's TimeoutStopSec (after which systemd would SIGKILL it, still safely).
N=rterm
STOP_LIMIT=$(sed -n 's/^TimeoutStopSec=\([0-9]*\)s\?$/\1/p' "$ROOT/scripts/systemd/certnotice.service")
check "the systemd unit sets TimeoutStopSec in seconds" test -n "$STOP_LIMIT"
delays=$(python3 -c "import random; r = random.Random($SEED + 1); k = $KILLS; \
print(' '.join('%.2f' % (r.uniform(i / k, (i + 1) / k) * $REF_SECONDS) for i in range(k)))")
echo "# random SIGTERM delays (seed $SEED+1): $delays"
longest=0
runs_so_far() { sqlite3 "$SCRATCH/$N.db" 'select count(*) from runs' 2>/dev/null || echo 0; }
for delay in $delays; do
    runs_before=$(runs_so_far)
    "$BIN" run --date "$DATE" --input "$INPUT" --db "$SCRATCH/$N.db" --out "$SCRATCH/$N.out" \
        --config "$CFG" --jobs 2 2>>"$SCRATCH/$N.log" &
    pid=$!
    sleep "$delay"
    t0=$(date +%s.%N)
    kill -TERM "$pid" 2>/dev/null
    wait "$pid"
    rc=$?
    took=$(echo "$t0 $(date +%s.%N)" | awk '{printf "%.2f", $2 - $1}')
    longest=$(echo "$longest $took" | awk '{print ($2 > $1) ? $2 : $1}')
    last=$(grep -o 'stopping at [^ "]*' "$SCRATCH/$N.log" | tail -1)
    echo "# SIGTERM after ${delay}s: exit $rc after ${took}s, ${last:-finished first}"
    # On a loaded machine an early signal can land before main() installs the handler
    # (an ASan binary starts slowly): the default action then ends it, which is safe only
    # if it had begun nothing, and the handler comes before the run's first write.
    if [ "$rc" -eq 143 ]; then
        check_eq "SIGTERM after ${delay}s: ended before it began (143): no run row written" \
            "$runs_before" "$(runs_so_far)"
    else
        check "SIGTERM after ${delay}s: interrupted (7) or finished (0)" test "$rc" -eq 7 -o "$rc" -eq 0
    fi
    if [ "$rc" -eq 7 ]; then
        check_eq "SIGTERM after ${delay}s: the run row says interrupted" 7 \
            "$(sqlite3 "$SCRATCH/$N.db" 'select exit_code from runs order by id desc limit 1')"
        check "SIGTERM after ${delay}s: no partial folder left" no_partial "$SCRATCH/$N.out"
    fi
    after_crash $N "SIGTERM after ${delay}s"
done
echo "# the longest stop took ${longest}s (TimeoutStopSec=${STOP_LIMIT}s)"
check "every stop took less than TimeoutStopSec" awk "BEGIN {exit !($longest < $STOP_LIMIT)}"
check_exit "clean rerun after the SIGTERMs exits 0" 0 run $N
if [ ! -s "$SCRATCH/$N.rids" ]; then db_rids "$SCRATCH/$N.db" >"$SCRATCH/$N.rids"; fi
final_checks $N

# ---- SIGKILL at random moments, each run the recovery of the one killed before. Delay i is
# ---- drawn (from the seed) within the i-th of KILLS equal slices of how long the
# ---- uninterrupted run took here, so the kills spread over every stage on any machine.
N=rnd
delays=$(python3 -c "import random; r = random.Random($SEED); k = $KILLS; \
print(' '.join('%.2f' % (r.uniform(i / k, (i + 1) / k) * $REF_SECONDS) for i in range(k)))")
echo "# random kill delays (seed $SEED, reference run ${REF_SECONDS}s): $delays"
for delay in $delays; do
    # Started directly (not through the run function) so that $! is the binary's own pid.
    "$BIN" run --date "$DATE" --input "$INPUT" --db "$SCRATCH/$N.db" --out "$SCRATCH/$N.out" \
        --config "$CFG" --jobs 2 2>>"$SCRATCH/$N.log" &
    pid=$!
    sleep "$delay" &
    sleeper=$!
    first=
    wait -n -p first "$pid" "$sleeper"
    rc=$?
    if [ "$first" = "$sleeper" ]; then
        kill -KILL "$pid" # not yet waited for, so the pid is still the run's
        wait "$pid" 2>/dev/null
        rc=$?
    else
        kill "$sleeper"
        wait "$sleeper" 2>/dev/null
    fi
    last=$(grep -o 'stage=[a-z]*' "$SCRATCH/$N.log" | tail -1)
    echo "# kill after ${delay}s: exit $rc, last stage logged: ${last#stage=}"
    check "kill after ${delay}s: killed (137) or finished (0)" test "$rc" -eq 137 -o "$rc" -eq 0
    after_crash $N "kill after ${delay}s"
done
check_exit "clean rerun after the random kills exits 0" 0 run $N
if [ ! -s "$SCRATCH/$N.rids" ]; then db_rids "$SCRATCH/$N.db" >"$SCRATCH/$N.rids"; fi
final_checks $N

done_testing
