#!/usr/bin/env bash
# firstrun: what a newcomer meets on the first runs. A missing config is named with the way
# to name one; a missing input publishes nothing (exit 3, said why); on a terminal the
# progress bar shows done of a fixed total with a rate and the time left.
source "$(dirname "$0")/lib.sh"
DATE=2026-12-01
cd "$SCRATCH" || exit 1

# No --config, in a folder without certnotice.xml: the usual first try.
"$BIN" run --date "$DATE" --input "$ROOT/input/sample" --db "$SCRATCH/a.db" --out "$SCRATCH/a" \
    >/dev/null 2>"$SCRATCH/noconfig.err"
check_eq "no config file: exit 2" 2 "$?"
check "... saying the file does not exist" grep -q 'config file certnotice.xml does not exist' \
    "$SCRATCH/noconfig.err"
check "... and how to name one" grep -qF -- '--config templates/municipalities/demo.xml' \
    "$SCRATCH/noconfig.err"
check "... without libxml2's words" bash -c "! grep -q 'external entity' '$SCRATCH/noconfig.err'"
check "... and nothing created" test ! -e "$SCRATCH/a" -a ! -e "$SCRATCH/a.db"
"$BIN" specimen --config "$SCRATCH/nope.xml" --out "$SCRATCH/s.pdf" 2>"$SCRATCH/spec.err"
check_eq "specimen says the same (exit 2)" 2 "$?"
check "... naming the file" grep -q "config file $SCRATCH/nope.xml does not exist" "$SCRATCH/spec.err"

# --input that is not there: nothing published, exit 3, a clear message, the run recorded.
"$BIN" run --date "$DATE" --input /nonexistent --db "$SCRATCH/b.db" --out "$SCRATCH/b" \
    --config "$CONFIG" >/dev/null 2>"$SCRATCH/noinput.err"
check_eq "a missing --input: exit 3" 3 "$?"
check "... saying which input and that nothing was published" \
    grep -q 'input /nonexistent: No such file or directory; nothing published' "$SCRATCH/noinput.err"
check "... no batch folder" test -z "$(ls -A "$SCRATCH/b" 2>/dev/null)"
check_eq "... the run is recorded with exit 3" 3 \
    "$(sqlite3 "$SCRATCH/b.db" "select exit_code from runs order by id desc limit 1")"
# The same database with the input back: tonight's letters are printed.
"$BIN" run --date "$DATE" --input "$ROOT/input/sample" --db "$SCRATCH/b.db" --out "$SCRATCH/b" \
    --config "$CONFIG" >/dev/null 2>&1
check "... and the next run with the input publishes" test -d "$SCRATCH/b/$DATE/print"
mkdir "$SCRATCH/empty"
"$BIN" run --date "$DATE" --input "$SCRATCH/empty" --db "$SCRATCH/c.db" --out "$SCRATCH/c" \
    --config "$CONFIG" >/dev/null 2>&1
check_eq "an empty input folder is a quiet night: exit 0" 0 "$?"
check "... with a batch" test -d "$SCRATCH/c/$DATE"

# The progress bar: only on a terminal (script(1) gives the job one), several files of 30
# letters so that the bar is drawn more than twice.
T="$SCRATCH/templates"
demo_city 's/size="1000"/size="30"/' >/dev/null
python3 "$ROOT/scripts/gen-residents.py" --count 200 --date "$DATE" --seed 7 --due-share 0.9 \
    >"$SCRATCH/residents.csv"
cmd="'$BIN' run --date $DATE --input '$SCRATCH/residents.csv' --db '$SCRATCH/p.db'"
cmd="$cmd --out '$SCRATCH/p' --config '$T/municipalities/city.xml' --jobs 1"
script -qec "$cmd" /dev/null >"$SCRATCH/tty.out" 2>&1
letters=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["print"]["letters"])' \
    "$SCRATCH/p/$DATE/internal/report.json")
check "the run on a terminal printed letters" test "${letters:-0}" -gt 60
tr '\r' '\n' <"$SCRATCH/tty.out" | grep -a '^render  *\[' >"$SCRATCH/bars"
check "the bar is drawn at each file" test "$(wc -l <"$SCRATCH/bars")" -ge 3
check "every frame shows done of the same total" \
    bash -c "! grep -avq ' [0-9]*/$letters\\b' '$SCRATCH/bars'"
check "it ends at the total" grep -aq " $letters/$letters " "$SCRATCH/bars"
check "it starts at zero" grep -aq " 0/$letters" "$SCRATCH/bars"
check "frames after the first show a rate and the time left" \
    grep -aqE " [0-9]+/$letters  [0-9]+/s  [0-9]+:[0-5][0-9] left" "$SCRATCH/bars"
"$BIN" run --date "$DATE" --input "$SCRATCH/residents.csv" --db "$SCRATCH/q.db" \
    --out "$SCRATCH/q" --config "$T/municipalities/city.xml" 2>"$SCRATCH/notty.err"
check "no bar when stderr is not a terminal" bash -c "! grep -q 'render  *\\[' '$SCRATCH/notty.err'"
done_testing
