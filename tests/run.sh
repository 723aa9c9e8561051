#!/usr/bin/env bash
# Runs every unit test binary (cmocka, TAP output) and every end-to-end suite (TAP from
# tests/e2e/lib.sh), each with its seconds, then the total seconds and one closing line:
# "N passed, N failed, N skipped".
# A skipped test ("ok ... # SKIP reason") is not a pass. With CI=true a suite that skips
# fails: CI is where every suite must be able to run.
# Usage: tests/run.sh [pattern]   (pattern filters suite names)
set -u
cd "$(dirname "$0")/.."
export BIN="${BIN:-$PWD/build/asan/certnotice}"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
export CMOCKA_MESSAGE_OUTPUT=TAP
pattern="${1:-}"
passed=0 failed=0 skipped=0
failed_names=()
# The folders are settable so that tests/e2e/runner.sh can run this script on fake suites.
log_dir="${TEST_LOG_DIR:-build/test-logs}"
unit_dir="${UNIT_DIR:-build/asan/tests}"
e2e_dir="${E2E_DIR:-tests/e2e}"
mkdir -p "$log_dir"

# Suites run TEST_JOBS at a time (default: the cores); each reports in the list's order
# once it and those before it have finished, so the output reads the same either way.
jobs="${TEST_JOBS:-$(nproc 2>/dev/null || echo 1)}"
names=() files=()
add_suite() { # name, file: a unit test binary or an e2e script
    [ -n "$pattern" ] && [[ "$1" != *"$pattern"* ]] && return
    names+=("$1"); files+=("$2")
}
log_of() { echo "$log_dir/${1//\//_}.log"; }
# seconds_since EPOCHREALTIME: the seconds since then, one decimal.
seconds_since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }

start_suite() { # index: runs in the background; the exit code lands in LOG.rc
    local log
    log=$(log_of "${names[$1]}")
    rm -f "$log.rc" "$log.secs"
    (
        t0=$EPOCHREALTIME
        if [[ "${files[$1]}" == *.sh ]]; then bash "${files[$1]}"; else "${files[$1]}"; fi >"$log" 2>&1
        rc=$?
        seconds_since "$t0" >"$log.secs"
        echo $rc >"$log.rc"
    ) &
}

report_suite() { # name
    local name="$1" log
    log=$(log_of "$name")
    local rc ok notok skip secs
    rc=$(cat "$log.rc")
    secs=$(cat "$log.secs" 2>/dev/null || echo 0)
    suite_seconds=$(awk -v a="$suite_seconds" -v b="$secs" 'BEGIN { printf "%.1f", a + b }')
    ok=$(grep -cE '^ok ' "$log")
    notok=$(grep -cE '^not ok ' "$log")
    skip=$(grep -ciE '^ok [^#]*#[[:space:]]*skip' "$log")
    ok=$((ok - skip))
    # A suite that crashed or exited non-zero without reporting a failure still fails.
    if [ "$rc" -ne 0 ] && [ "$notok" -eq 0 ]; then notok=1; fi
    if [ "$ok" -eq 0 ] && [ "$notok" -eq 0 ] && [ "$skip" -eq 0 ]; then notok=1; fi
    if [ "${CI:-}" = true ] && [ "$skip" -gt 0 ]; then notok=$((notok + skip)) skip=0; fi
    passed=$((passed + ok)); failed=$((failed + notok)); skipped=$((skipped + skip))
    local skips=""
    [ "$skip" -gt 0 ] && skips=$(printf ' %3d skipped' "$skip")
    if [ "$notok" -gt 0 ]; then
        failed_names+=("$name")
        printf '%-28s %3d passed %3d FAILED%s %6.1f s (log: %s)\n' "$name" "$ok" "$notok" "$skips" \
            "$secs" "$log"
        grep -iE '^not ok |^# |^ok [^#]*#[[:space:]]*skip' "$log" | head -20 | sed 's/^/    /'
    else
        printf '%-28s %3d passed%s %6.1f s\n' "$name" "$ok" "$skips" "$secs"
        [ "$skip" -gt 0 ] && grep -iE '^ok [^#]*#[[:space:]]*skip' "$log" | head -5 | sed 's/^/    /'
    fi
    rm -f "$log.rc" "$log.secs"
}

for t in "$unit_dir"/test_*; do
    [ -x "$t" ] && add_suite "unit/$(basename "$t")" "$t"
done
for t in "$e2e_dir"/*.sh; do
    [ "$(basename "$t")" = lib.sh ] && continue
    add_suite "e2e/$(basename "$t" .sh)" "$t"
done

reported=0
suite_seconds=0
started=$EPOCHREALTIME
report_finished() {
    while [ "$reported" -lt "${#names[@]}" ] && [ -s "$(log_of "${names[$reported]}").rc" ]; do
        report_suite "${names[$reported]}"
        reported=$((reported + 1))
    done
}
running=0
for i in "${!names[@]}"; do
    while [ "$running" -ge "$jobs" ]; do
        wait -n
        running=$((running - 1))
        report_finished
    done
    start_suite "$i"
    running=$((running + 1))
done
wait
report_finished

[ ${#failed_names[@]} -gt 0 ] && echo "failed suites: ${failed_names[*]}"
echo "total $(seconds_since "$started") s ($suite_seconds s of suites, $jobs at a time)"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
