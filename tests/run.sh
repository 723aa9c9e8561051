#!/usr/bin/env bash
# Runs every unit test binary (cmocka, TAP output) and every end-to-end suite (TAP from
# tests/e2e/lib.sh), then prints one closing line: "N passed, N failed".
# Usage: tests/run.sh [pattern]   (pattern filters suite names)
set -u
cd "$(dirname "$0")/.."
export BIN="${BIN:-$PWD/build/asan/certnotice}"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
export CMOCKA_MESSAGE_OUTPUT=TAP
pattern="${1:-}"
passed=0 failed=0
failed_names=()
log_dir=build/test-logs
mkdir -p "$log_dir"

run_suite() { # name, command...
    local name="$1"; shift
    [ -n "$pattern" ] && [[ "$name" != *"$pattern"* ]] && return
    local log="$log_dir/${name//\//_}.log"
    "$@" >"$log" 2>&1
    local rc=$?
    local ok notok
    ok=$(grep -cE '^ok ' "$log")
    notok=$(grep -cE '^not ok ' "$log")
    # A suite that crashed or exited non-zero without reporting a failure still fails.
    if [ "$rc" -ne 0 ] && [ "$notok" -eq 0 ]; then notok=1; fi
    if [ "$ok" -eq 0 ] && [ "$notok" -eq 0 ]; then notok=1; fi
    passed=$((passed + ok)); failed=$((failed + notok))
    if [ "$notok" -gt 0 ]; then
        failed_names+=("$name")
        printf '%-28s %3d passed %3d FAILED (log: %s)\n' "$name" "$ok" "$notok" "$log"
        grep -E '^not ok |^# ' "$log" | head -20 | sed 's/^/    /'
    else
        printf '%-28s %3d passed\n' "$name" "$ok"
    fi
}

for t in build/asan/tests/test_*; do
    [ -x "$t" ] && run_suite "unit/$(basename "$t")" "$t"
done
for t in tests/e2e/*.sh; do
    [ "$(basename "$t")" = lib.sh ] && continue
    run_suite "e2e/$(basename "$t" .sh)" bash "$t"
done

[ ${#failed_names[@]} -gt 0 ] && echo "failed suites: ${failed_names[*]}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
