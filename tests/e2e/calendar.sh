#!/usr/bin/env bash
# calendar: `certnotice window`, `wareki` and `holidays` from the command line; holidays
# equal the Cabinet Office list (tests/fixtures/holidays-jp.txt) for every year it covers.
source "$(dirname "$0")/lib.sh"

# window EXPIRY -> START END, the docs/domain.md examples
while read -r expiry want; do
    check_eq "window $expiry" "$want" "$("$BIN" window "$expiry" 2>&1)"
done <<'CASES'
2027-03-24 2026-12-25 2027-03-24
2027-05-01 2027-02-02 2027-05-01
2027-05-31 2027-03-01 2027-05-31
2028-05-31 2028-03-01 2028-05-31
2027-11-30 2027-08-31 2027-11-30
CASES

# wareki DATE, across the era boundaries
while read -r day want; do
    check_eq "wareki $day" "$want" "$("$BIN" wareki "$day" 2>&1)"
done <<'CASES'
2026-12-25 令和8年12月25日
1989-01-07 昭和64年1月7日
1989-01-08 平成元年1月8日
2019-04-30 平成31年4月30日
2019-05-01 令和元年5月1日
1912-07-30 大正元年7月30日
1926-12-25 昭和元年12月25日
1873-01-01 明治6年1月1日
CASES

# Refusals: exit 2 and a message on stderr naming the argument, nothing on stdout.
refuses() { # DESC ARGS...
    local desc="$1"; shift
    "$BIN" "$@" >"$SCRATCH/out" 2>"$SCRATCH/err"
    local rc=$?
    if [ "$rc" -eq 2 ] && [ ! -s "$SCRATCH/out" ] && grep -qF -- "${@: -1}" "$SCRATCH/err"; then
        ok "$desc"
    else
        not_ok "$desc (exit $rc)"; sed 's/^/# /' "$SCRATCH/out" "$SCRATCH/err" | head -5
    fi
}
refuses "window refuses 2027-02-30" window 2027-02-30
refuses "window refuses garbage" window garbage
refuses "window refuses a trailing character" window 2027-03-24x
refuses "wareki refuses 2027-02-29" wareki 2027-02-29
refuses "wareki refuses a date before 1873" wareki 1872-12-31
refuses "wareki refuses year 3000" wareki 3000-01-01
refuses "holidays refuses 1969" holidays 1969
refuses "holidays refuses 2100" holidays 2100
refuses "holidays refuses garbage" holidays 20x6
refuses "holidays refuses an empty year" holidays ""
check_exit "window without an argument is a usage error" 2 "$BIN" window
check_exit "holidays with two arguments is a usage error" 2 "$BIN" holidays 2026 2027

# holidays YEAR equals the reference list, year by year.
fixture="$FIXTURES/holidays-jp.txt"
first=$(head -1 "$fixture" | cut -c1-4)
last=$(tail -1 "$fixture" | cut -c1-4)
check_eq "the fixture starts in 1970" 1970 "$first"
mismatched=()
for ((y = first; y <= last; y++)); do
    grep "^$y-" "$fixture" >"$SCRATCH/want"
    "$BIN" holidays "$y" >"$SCRATCH/got" 2>&1
    cmp -s "$SCRATCH/want" "$SCRATCH/got" || mismatched+=("$y")
done
if [ ${#mismatched[@]} -eq 0 ]; then
    ok "holidays $first-$last equal the Cabinet Office list"
else
    not_ok "holidays differ from the Cabinet Office list in: ${mismatched[*]}"
    y=${mismatched[0]}
    grep "^$y-" "$fixture" >"$SCRATCH/want"
    "$BIN" holidays "$y" 2>&1 | diff "$SCRATCH/want" - | head -10 | sed 's/^/# /'
fi

# Beyond the list, the rules still give the fixed days and a sorted list.
"$BIN" holidays 2099 >"$SCRATCH/2099"
check "holidays 2099 lists 元日 first" grep -qx "2099-01-01 元日" "$SCRATCH/2099"
check "holidays 2099 is in date order" sort -c "$SCRATCH/2099"
check_eq "holidays 2099 has 春分の日 on 3/20" "2099-03-20 春分の日" \
    "$(grep 春分の日 "$SCRATCH/2099")"

done_testing
