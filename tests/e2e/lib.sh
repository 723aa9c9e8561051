# Shared helpers for the end-to-end suites: TAP output, a scratch folder per suite, and
# the paths of the binary, the fixtures and the demo config. Source it first.
set -u
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BIN="${BIN:-$ROOT/build/asan/certnotice}"
FIXTURES="$ROOT/tests/fixtures"
CONFIG="${CONFIG:-$ROOT/templates/municipalities/demo.xml}"
SCRATCH="$(mktemp -d "${TMPDIR:-/tmp}/certnotice-e2e.XXXXXX")"
trap 'rm -rf "$SCRATCH"' EXIT
_n=0

ok() { _n=$((_n + 1)); echo "ok $_n - $*"; }
not_ok() { _n=$((_n + 1)); echo "not ok $_n - $*"; }

# check DESCRIPTION COMMAND...: passes when the command exits 0.
check() {
    local desc="$1"; shift
    if "$@" >"$SCRATCH/.last" 2>&1; then ok "$desc"; else
        not_ok "$desc"; sed 's/^/# /' "$SCRATCH/.last" | head -15
    fi
}

# check_exit DESCRIPTION CODE COMMAND...: passes when the command exits with CODE.
check_exit() {
    local desc="$1" want="$2"; shift 2
    "$@" >"$SCRATCH/.last" 2>&1
    local rc=$?
    if [ "$rc" -eq "$want" ]; then ok "$desc"; else
        not_ok "$desc (exit $rc, wanted $want)"; sed 's/^/# /' "$SCRATCH/.last" | head -15
    fi
}

# check_eq DESCRIPTION EXPECTED ACTUAL
check_eq() {
    if [ "$2" = "$3" ]; then ok "$1"; else
        not_ok "$1"; echo "# expected: $2"; echo "#   actual: $3"
    fi
}

# demo_city SED_SCRIPT: the demo config changed by sed, as $SCRATCH/templates/municipalities/
# city.xml beside links to the real templates (a config finds them relative to itself);
# prints its path.
demo_city() {
    local t="$SCRATCH/templates"
    mkdir -p "$t/municipalities"
    for f in "$ROOT"/templates/*; do [ -f "$f" ] && ln -sf "$f" "$t/"; done
    ln -sfn "$ROOT/templates/po" "$t/po"
    ln -sf "$ROOT/templates/municipalities/demo-gaiji.txt" "$t/municipalities/"
    sed "$1" "$ROOT/templates/municipalities/demo.xml" >"$t/municipalities/city.xml"
    echo "$t/municipalities/city.xml"
}

done_testing() { echo "1..$_n"; }
