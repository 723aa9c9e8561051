#!/usr/bin/env bash
# fuzz: builds every tests/fuzz/fuzz_*.c as a libFuzzer target (clang, ASan+UBSan) linked
# with the batch objects it needs, then runs each on its corpus; `make fuzz` calls this.
#
# Usage: scripts/fuzz.sh [--build-only | --replay | --corpus] [TARGET...]
#   (no option)   build, then run each target for FUZZ_SECONDS (default 600), FUZZ_JOBS
#                 targets at a time (default 1); new corpus entries go to
#                 build/fuzz/corpus/TARGET, crashes/leaks/timeouts to build/fuzz/findings/TARGET/
#   --build-only  build the targets into build/fuzz/ and stop
#   --replay      run every file in tests/fuzz/regressions/TARGET/ once; fails on a crash
#   --corpus      run every file of tests/fuzz/corpus/TARGET/ and regressions/TARGET/ once
#                 (what `make test` does for the web targets: a regression run, no fuzzing)
# Environment: FUZZ_SECONDS, FUZZ_JOBS, FUZZ_RUNS (also stop after N inputs), FUZZ_CC,
#   FUZZ_OUT (build folder), FUZZ_CORPUS, FUZZ_FINDINGS, FUZZ_LOGS (where new inputs,
#   crashes and logs go)
# Exit: 0 no finding, 1 a finding (or a regression input crashed), 2 build failure.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2

FUZZ_SECONDS="${FUZZ_SECONDS:-600}"
FUZZ_JOBS="${FUZZ_JOBS:-1}"
FUZZ_CC="${FUZZ_CC:-clang}"
FUZZ_RUNS="${FUZZ_RUNS:--1}" # stop after this many inputs too (-1: time only)
OUT="${FUZZ_OUT:-build/fuzz}"
CORPUS="${FUZZ_CORPUS:-$OUT/corpus}"
FINDINGS="${FUZZ_FINDINGS:-$OUT/findings}"
LOGS="${FUZZ_LOGS:-$OUT/logs}"
PKGS="libxml-2.0 sqlite3 libpq libqrencode libcrypto zlib harfbuzz harfbuzz-subset libmicrohttpd libdmtx"
# shellcheck disable=SC2086 # PKGS is a list of names
PKG_CF="$(pkg-config --cflags $PKGS 2>/dev/null)"
# shellcheck disable=SC2086
LIBS="$(pkg-config --libs $PKGS 2>/dev/null || echo -lxml2 -lsqlite3 -lpq -lqrencode -lcrypto -lz -lharfbuzz-subset -lharfbuzz -lmicrohttpd -ldmtx) -lhpdf -lsodium -lpthread -lm"
# -fno-sanitize-recover: undefined behaviour is a finding, not a line in a log nobody reads.
# float-cast-overflow is not part of "undefined" (GCC and clang): a double past an int's range
# converted to int is undefined behaviour all the same.
SAN="-fsanitize=address,undefined,float-cast-overflow -fno-omit-frame-pointer"
SAN="$SAN -fno-sanitize-recover=undefined,float-cast-overflow"
# Every layer folder of batch/ is on the include path, as in the Makefile.
INC=$(for d in batch/*/; do printf -- '-I%s ' "${d%/}"; done)
CFLAGS="-std=c11 -D_GNU_SOURCE -g -O1 $SAN $INC $PKG_CF"
# Targets find the schemas in templates/ whatever folder they are started from.
TARGET_CFLAGS=("-DCN_REPO_ROOT=\"$PWD\"")

mode=run
case "${1:-}" in
--build-only) mode=build; shift ;;
--replay) mode=replay; shift ;;
--corpus) mode=corpus; shift ;;
-h | --help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
esac

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    for f in tests/fuzz/fuzz_*.c; do targets+=("$(basename "$f" .c)"); done
fi

# Input size a target is worth fuzzing at: a CSV or XML file needs room for a few records.
max_len() {
    case "$1" in
    fuzz_address) echo 512 ;;
    fuzz_csv | fuzz_xml_input | fuzz_template) echo 16384 ;;
    fuzz_cookie | fuzz_webform) echo 1024 ;;
    *) echo 4096 ;;
    esac
}

# The batch objects are compiled once with coverage instrumentation into an archive, so a
# target pulls in only the modules it references. Warnings stay on but not fatal here:
# `make` is the judge of warnings, the fuzz build must not break on a clang-only one.
build_lib() {
    mkdir -p "$OUT/obj"
    local newest_h
    # shellcheck disable=SC2012 # our own file names
    newest_h=$(ls -t batch/*/*.h | head -1)
    local stale=()
    for c in batch/*/*.c; do
        [ "$c" = batch/cli/main.c ] && continue
        local o
        o="$OUT/obj/$(basename "$c" .c).o"
        if [ ! -f "$o" ] || [ "$c" -nt "$o" ] || [ "$newest_h" -nt "$o" ]; then stale+=("$c"); fi
    done
    if [ ${#stale[@]} -gt 0 ]; then
        echo "fuzz: compiling ${#stale[@]} batch sources" >&2
        # shellcheck disable=SC2016 # expanded by the inner sh
        printf '%s\n' "${stale[@]}" | xargs -P "$(nproc)" -I{} sh -c \
            '"$1" $2 -Wall -Wextra -fsanitize=fuzzer-no-link -c -o "$3/obj/$(basename "$4" .c).o" "$4"' \
            sh "$FUZZ_CC" "$CFLAGS" "$OUT" {} || return 1
    fi
    rm -f "$OUT/libcertnotice.a"
    ar rcs "$OUT/libcertnotice.a" "$OUT"/obj/*.o
}

build_target() {
    local t="$1"
    # shellcheck disable=SC2086
    "$FUZZ_CC" $CFLAGS "${TARGET_CFLAGS[@]}" -Wall -Wextra -Werror -fsanitize=fuzzer -o "$OUT/$t" \
        "tests/fuzz/$t.c" "$OUT/libcertnotice.a" $LIBS
}

# Fixture files that make good starting points, copied into the working corpus each run
# (the committed seeds in tests/fuzz/corpus/TARGET are read as a second corpus folder).
seed_from_fixtures() {
    local t="$1" dir="$CORPUS/$1"
    mkdir -p "$dir"
    local files=()
    case "$t" in
    fuzz_csv) files=(input/sample/*.csv tests/fixtures/*.csv tests/fixtures/*/*.csv) ;;
    fuzz_xml_input) files=(input/sample/*.xml tests/fixtures/*.xml tests/fixtures/*/*.xml) ;;
    fuzz_template) files=(templates/*.xml) ;;
    esac
    for f in "${files[@]}"; do
        [ -f "$f" ] || continue
        # Past max_len libFuzzer only reads a prefix: take the first lines instead.
        head -c "$(max_len "$t")" "$f" >"$dir/fixture-$(basename "$f")"
    done
}

run_target() {
    local t="$1"
    seed_from_fixtures "$t"
    mkdir -p "$FINDINGS/$t" "$LOGS"
    local dict=()
    [ -f "tests/fuzz/$t.dict" ] && dict=("-dict=tests/fuzz/$t.dict")
    mkdir -p "tests/fuzz/corpus/$t"
    "$OUT/$t" -max_total_time="$FUZZ_SECONDS" -runs="$FUZZ_RUNS" -timeout=25 -rss_limit_mb=2048 \
        -max_len="$(max_len "$t")" -print_final_stats=1 \
        -artifact_prefix="$FINDINGS/$t/" "${dict[@]}" \
        "$CORPUS/$t" "tests/fuzz/corpus/$t" >"$LOGS/$t.log" 2>&1
    local rc=$?
    local execs findings
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$LOGS/$t.log" | tail -1)
    findings=$(find "$FINDINGS/$t" -type f | wc -l)
    printf '%-16s exit=%d executions=%s corpus=%d findings=%d log=%s\n' "$t" "$rc" \
        "${execs:-?}" "$(find "$CORPUS/$t" -type f | wc -l)" "$findings" "$LOGS/$t.log"
    [ "$rc" -eq 0 ] && [ "$findings" -eq 0 ]
}

replay_target() {
    local t="$1" dir="tests/fuzz/regressions/$1"
    local inputs=()
    [ -d "$dir" ] && while IFS= read -r f; do inputs+=("$f"); done < <(find "$dir" -type f | sort)
    if [ ${#inputs[@]} -eq 0 ]; then
        echo "$t: no regression inputs"
        return 0
    fi
    if "$OUT/$t" -runs=1 "${inputs[@]}" >"$LOGS/$t-replay.log" 2>&1; then
        echo "$t: ${#inputs[@]} regression inputs pass"
    else
        echo "$t: a regression input fails (log: $LOGS/$t-replay.log)"
        return 1
    fi
}

# -runs=0 reads the folders' inputs, runs each once, and fuzzes nothing.
corpus_target() {
    local t="$1" dirs=()
    for d in "tests/fuzz/corpus/$t" "tests/fuzz/regressions/$t"; do
        [ -d "$d" ] && dirs+=("$d")
    done
    if [ ${#dirs[@]} -eq 0 ]; then
        echo "$t: no corpus"
        return 1
    fi
    if "$OUT/$t" -runs=0 -timeout=25 -max_len="$(max_len "$t")" "${dirs[@]}" \
        >"$LOGS/$t-corpus.log" 2>&1; then
        echo "$t: $(find "${dirs[@]}" -type f | wc -l) corpus inputs pass"
    else
        echo "$t: a corpus input fails (log: $LOGS/$t-corpus.log)"
        return 1
    fi
}

mkdir -p "$LOGS"
build_lib || { echo "fuzz: building the batch objects failed" >&2; exit 2; }
for t in "${targets[@]}"; do
    build_target "$t" || { echo "fuzz: building $t failed" >&2; exit 2; }
done
[ "$mode" = build ] && exit 0

status=0
if [ "$mode" = replay ]; then
    for t in "${targets[@]}"; do replay_target "$t" || status=1; done
    exit $status
fi
if [ "$mode" = corpus ]; then
    for t in "${targets[@]}"; do corpus_target "$t" || status=1; done
    exit $status
fi

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
running=0
for t in "${targets[@]}"; do
    run_target "$t" >"$LOGS/$t.summary" &
    running=$((running + 1))
    if [ "$running" -ge "$FUZZ_JOBS" ]; then
        wait -n || status=1
        running=$((running - 1))
    fi
done
while [ "$running" -gt 0 ]; do
    wait -n || status=1
    running=$((running - 1))
done
for t in "${targets[@]}"; do cat "$LOGS/$t.summary"; done
[ "$status" -eq 0 ] || echo "fuzz: findings in $FINDINGS/ (keep each as a regression input)"
exit $status
