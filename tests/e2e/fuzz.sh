#!/usr/bin/env bash
# fuzz: every libFuzzer target builds; the input readers' targets survive a short run from
# their seeds (new inputs and any crash kept in the scratch folder, not the repo); the web
# targets (forms, cookies, the pages through the harness) run their committed corpus once,
# without fuzzing; every regression input kept for a bug found before still passes.
source "$(dirname "$0")/lib.sh"

FUZZ="$ROOT/scripts/fuzz.sh"
SECONDS_EACH="${FUZZ_TEST_SECONDS:-15}"
# Targets make their own temporary folders (libFuzzer has no teardown to remove them):
# under the scratch folder, which goes when the suite ends.
export TMPDIR="$SCRATCH/tmp"
mkdir -p "$TMPDIR"

if ! command -v clang >/dev/null ||
    ! ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1; then
    ok "fuzz targets # SKIP clang with libFuzzer is not installed"
    done_testing
    exit 0
fi

check "fuzz targets build" "$FUZZ" --build-only
targets=()
for f in "$ROOT"/tests/fuzz/fuzz_*.c; do targets+=("$(basename "$f" .c)"); done
check_eq "eight targets" \
    "fuzz_address fuzz_cookie fuzz_csv fuzz_http_head fuzz_pages fuzz_template fuzz_webform fuzz_xml_input" \
    "${targets[*]}"

for t in fuzz_cookie fuzz_pages fuzz_webform; do
    out=$(FUZZ_LOGS="$SCRATCH/logs" "$FUZZ" --corpus "$t" 2>&1)
    check "$t: its corpus runs once without a finding ($out)" test $? -eq 0
done

for t in fuzz_address fuzz_csv fuzz_http_head fuzz_template fuzz_xml_input; do
    FUZZ_SECONDS="$SECONDS_EACH" FUZZ_RUNS=200000 FUZZ_CORPUS="$SCRATCH/corpus" \
        FUZZ_FINDINGS="$SCRATCH/findings" FUZZ_LOGS="$SCRATCH/logs" "$FUZZ" "$t" \
        >"$SCRATCH/$t.out" 2>&1
    rc=$?
    if [ "$rc" -eq 0 ]; then ok "$t: no finding in a short run"; else
        not_ok "$t: a short run found something (exit $rc)"
        sed 's/^/# /' "$SCRATCH/$t.out" | tail -5
        grep -E 'ERROR|SUMMARY|runtime error' "$SCRATCH/logs/$t.log" | head -5 | sed 's/^/# /'
        # Keep the input where a person will find it: the scratch folder goes away.
        mkdir -p "$ROOT/build/fuzz/findings/$t"
        cp "$SCRATCH/findings/$t/"* "$ROOT/build/fuzz/findings/$t/" 2>/dev/null &&
            echo "# input saved in build/fuzz/findings/$t/"
    fi
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$SCRATCH/logs/$t.log" | tail -1)
    check "$t: ran inputs (${execs:-0})" test "${execs:-0}" -gt 0
done

# A regression input must crash the build it was found on; replaying them all shows the
# bugs stay fixed.
check "regression inputs replay without a crash" env FUZZ_LOGS="$SCRATCH/logs" "$FUZZ" --replay
n=$(find "$ROOT/tests/fuzz/regressions" -type f 2>/dev/null | wc -l)
check "regression inputs are kept" test "$n" -gt 0

done_testing
