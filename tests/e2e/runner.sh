#!/usr/bin/env bash
# runner: tests/run.sh counts what the suites say. A skipped test is not a pass; the closing
# line counts skips; with CI=true a suite that skips fails; a suite that crashes or says
# nothing fails; suites run in parallel report in order, each with its seconds, then the total. Runs tests/run.sh on fake suites
# in a scratch folder.
source "$(dirname "$0")/lib.sh"

U="$SCRATCH/unit" E="$SCRATCH/e2e"
mkdir -p "$U" "$E"
suite() { # FILE LINES...: a suite printing these lines
    local f="$1"; shift
    printf '#!/usr/bin/env bash\n' >"$f"
    printf 'echo "%s"\n' "$@" >>"$f"
    chmod +x "$f"
}
suite "$U/test_fake" "ok 1 - a" "ok 2 - b" "1..2"
suite "$E/skips.sh" "ok 1 - c" "ok 2 # SKIP no loop device here" "ok 3 - d # skip later" "1..3"
suite "$E/lib.sh" "not ok 1 - lib.sh is sourced, never run"

runner() { # ENV...: runs tests/run.sh on the fake suites; output in $SCRATCH/run.out
    env UNIT_DIR="$U" E2E_DIR="$E" TEST_LOG_DIR="$SCRATCH/logs" "$@" \
        bash "$ROOT/tests/run.sh" >"$SCRATCH/run.out" 2>&1
}

runner CI=
check_eq "skips alone do not fail a local run" 0 "$?"
check_eq "the closing line counts skips apart from passes" "3 passed, 0 failed, 2 skipped" \
    "$(tail -1 "$SCRATCH/run.out")"
check "the skipping suite is shown with its reason" grep -q 'SKIP no loop device here' "$SCRATCH/run.out"

runner CI=true
check_eq "with CI=true a skip fails the run" 1 "$?"
check_eq "... and counts as a failure" "3 passed, 2 failed, 0 skipped" "$(tail -1 "$SCRATCH/run.out")"
check "... naming the suite" grep -q '^failed suites: e2e/skips' "$SCRATCH/run.out"

# Two at a time, a slow suite first: the report keeps the list's order.
suite "$E/a_slow.sh" "ok 1 - slow" "1..1"
sed -i '2i sleep 1' "$E/a_slow.sh"
runner CI= TEST_JOBS=2
check_eq "suites run two at a time report in order" "e2e/a_slow e2e/skips" \
    "$(grep -oE '^e2e/[a-z_]+' "$SCRATCH/run.out" | tr '\n' ' ' | sed 's/ $//')"
check_eq "... with the same counts" "4 passed, 0 failed, 2 skipped" "$(tail -1 "$SCRATCH/run.out")"
check "each suite says its seconds (the slow one a second or more)" \
    grep -qE '^e2e/a_slow +1 passed +[1-9][0-9]*\.[0-9] s$' "$SCRATCH/run.out"
check "the line before the closing one gives the total seconds" \
    bash -c "tail -2 '$SCRATCH/run.out' | head -1 | grep -qE '^total [0-9]+\.[0-9] s \([0-9]+\.[0-9] s of suites, 2 at a time\)$'"
rm "$E/a_slow.sh"

rm "$E/skips.sh"
suite "$E/silent.sh" "echo nothing"
suite "$E/crash.sh" "ok 1 - fine so far" "1..1"
echo 'exit 3' >>"$E/crash.sh"
runner CI=
check_eq "a suite with no result or a bad exit fails" "3 passed, 2 failed, 0 skipped" \
    "$(tail -1 "$SCRATCH/run.out")"
check "... both named" grep -q '^failed suites: e2e/crash e2e/silent' "$SCRATCH/run.out"
check_eq "... and the run fails" 1 "$(runner CI=; echo $?)"
done_testing
