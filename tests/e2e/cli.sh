#!/usr/bin/env bash
# cli: every command answers --help with its usage (exit 0, stdout) and an unknown option or
# a missing value with the usage on stderr (exit 2), promptly; main's list of commands is
# the commands' own synopses. The commands come from `certnotice --help`, so a new command
# is tested here without editing this file.
source "$(dirname "$0")/lib.sh"

# Every parse must return quickly: reprint once spun forever on an unknown option.
T="timeout 10"

$T "$BIN" --help >"$SCRATCH/main.out" 2>"$SCRATCH/main.err"
check_eq "certnotice --help exits 0" 0 "$?"
mapfile -t synopses < <(sed -n 's/^  \([a-z].*\)$/\1/p' "$SCRATCH/main.out")
mapfile -t commands < <(printf '%s\n' "${synopses[@]}" | cut -d' ' -f1)
check "certnotice --help lists the twelve commands at least" test "${#commands[@]}" -ge 12
$T "$BIN" >/dev/null 2>"$SCRATCH/none.err"
check_eq "no command: exit 2" 2 "$?"
check "... with the usage on stderr" grep -q '^usage: certnotice COMMAND' "$SCRATCH/none.err"
check_exit "an unknown command: exit 2" 2 $T "$BIN" no-such-command

for i in "${!commands[@]}"; do
    c="${commands[$i]}"
    $T "$BIN" "$c" --help >"$SCRATCH/help.out" 2>"$SCRATCH/help.err"
    rc=$?
    first="$(head -1 "$SCRATCH/help.out")"
    if [ "$rc" -eq 0 ] && [ "$first" = "usage: certnotice ${synopses[$i]}" ] &&
        grep -q -- '--help' "$SCRATCH/help.out" && [ ! -s "$SCRATCH/help.err" ]; then
        ok "$c --help: exit 0, the synopsis main lists, on stdout"
    else
        not_ok "$c --help (exit $rc)"; echo "# main: ${synopses[$i]}"; echo "# help: $first"
        sed 's/^/# /' "$SCRATCH/help.err" | head -3
    fi
    for bad in --no-such-option --dbb -x; do
        $T "$BIN" "$c" "$bad" some-operand >"$SCRATCH/bad.out" 2>"$SCRATCH/bad.err"
        rc=$?
        if [ "$rc" -eq 2 ] && [ ! -s "$SCRATCH/bad.out" ] &&
            grep -qF -- "certnotice $c: unknown option '$bad'" "$SCRATCH/bad.err" &&
            grep -qF "usage: certnotice ${synopses[$i]}" "$SCRATCH/bad.err"; then
            ok "$c $bad: exit 2, named, usage on stderr"
        else
            not_ok "$c $bad (exit $rc)"; sed 's/^/# /' "$SCRATCH/bad.out" "$SCRATCH/bad.err" | head -4
        fi
    done
    # An option that takes a value, given none, is named too.
    opt="$(grep -o -- '--[a-z-]* [A-Z|]*' <<<"${synopses[$i]}" | head -1 | cut -d' ' -f1)"
    if [ -n "$opt" ]; then
        $T "$BIN" "$c" "$opt" >/dev/null 2>"$SCRATCH/miss.err"
        rc=$?
        if [ "$rc" -eq 2 ] && grep -qF -- "missing value for '$opt'" "$SCRATCH/miss.err"; then
            ok "$c $opt without a value: exit 2, named"
        else
            not_ok "$c $opt without a value (exit $rc)"; sed 's/^/# /' "$SCRATCH/miss.err" | head -3
        fi
    fi
done

# The values are checked, and an option after the operands is read too.
refuses() { # DESC MESSAGE ARGS...: exit 2 with MESSAGE on stderr
    local desc="$1" msg="$2"; shift 2
    $T "$BIN" "$@" >/dev/null 2>"$SCRATCH/refused.err"
    local rc=$?
    if [ "$rc" -eq 2 ] && grep -qF -- "$msg" "$SCRATCH/refused.err"; then ok "$desc"; else
        not_ok "$desc (exit $rc)"; sed 's/^/# /' "$SCRATCH/refused.err" | head -3
    fi
}
check_eq "-- ends the options" "令和8年12月25日" "$($T "$BIN" wareki -- 2026-12-25 2>&1)"
refuses "report --runs 0" "report: --runs '0' is not a number" report --runs 0 --db "$SCRATCH/x.db"
refuses "run --jobs 65" "run: --jobs '65' is not a number from 1 to 64" run --jobs 65
refuses "reprint ID --date 2027-02-30" "reprint: --date '2027-02-30' is not a day of the calendar" \
    reprint X --date 2027-02-30
refuses "specimen without --out" "specimen: missing '--out'" specimen
refuses "rid with an unknown subcommand" "rid: unknown subcommand 'verify'" rid verify 23456789ABC7
refuses "reprint without an ID" "reprint: missing 'ID...'" reprint --db "$SCRATCH/x.db"
refuses "window with two dates" "window: unexpected argument '2027-01-01'" \
    window 2026-01-01 2027-01-01
done_testing
