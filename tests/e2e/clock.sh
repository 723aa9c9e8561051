#!/usr/bin/env bash
# Which day a run prints for: without --date, today in the config's time zone (Asia/Tokyo
# unless <batch time-zone> says otherwise), never the host's; a --date outside 1800-2999
# is refused as such, not as "not a date".
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/helpers/batches.sh"
json() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1], {"d": d}))' "$@"; }
CFG="$SCRATCH/demo.xml"
check "config copy" make_config 1000 "$CFG"
# run_date CONFIG [VAR=VALUE...]: the date a dry run without --date takes.
run_date() {
    local cfg="$1"; shift
    env "$@" "$BIN" run --input "$ROOT/input/sample/residents.csv" --db "$SCRATCH/d$RANDOM.db" \
        --out "$SCRATCH/out" --config "$cfg" --dry-run 2>/dev/null | json 'd["run_date"]'
}
# is_today_in ZONE DATE: DATE is today in ZONE (either side of a midnight during the test).
is_today_in() {
    [ "$2" = "$(TZ="$1" date +%F)" ] || [ "$2" = "$(TZ="$1" date -d '-1 minute' +%F)" ]
}

# Two host zones 25 hours apart always disagree on the date; the run must not.
east=$(run_date "$CFG" TZ=Pacific/Kiritimati)
west=$(run_date "$CFG" TZ=Pacific/Pago_Pago)
echo "# host at UTC+14: $east, host at UTC-11: $west, Tokyo: $(TZ=Asia/Tokyo date +%F)"
check_eq "the host's zone does not change the run's date" "$east" "$west"
check "it is today in Tokyo (the default zone)" is_today_in Asia/Tokyo "$east"
check "a host in UTC gets Tokyo's day too" is_today_in Asia/Tokyo "$(run_date "$CFG" TZ=UTC)"

sed 's/<batch /<batch time-zone="Pacific\/Pago_Pago" /' "$CFG" >"$SCRATCH/west.xml"
check "a config naming Pacific/Pago_Pago: today there" \
    is_today_in Pacific/Pago_Pago "$(run_date "$SCRATCH/west.xml" TZ=Asia/Tokyo)"
sed 's/<batch /<batch time-zone="Asia\/Nowhere" /' "$CFG" >"$SCRATCH/bad.xml"
check_exit "an unknown time zone is a configuration error (2)" 2 \
    "$BIN" run --input "$ROOT/input/sample/residents.csv" --db "$SCRATCH/bad.db" \
    --out "$SCRATCH/out" --config "$SCRATCH/bad.xml" --dry-run
cp "$SCRATCH/.last" "$SCRATCH/said"
check "... naming the attribute and line" grep -q "bad.xml:[0-9]*: time-zone 'Asia/Nowhere'" \
    "$SCRATCH/said"
check_eq "--date still wins" 2026-12-01 "$("$BIN" run --date 2026-12-01 \
    --input "$ROOT/input/sample/residents.csv" --db "$SCRATCH/w.db" --out "$SCRATCH/out" \
    --config "$SCRATCH/west.xml" --dry-run 2>/dev/null | json 'd["run_date"]')"

# ---- --date out of range: said as such
for d in 9999-12-31 1799-12-31; do
    check_exit "--date $d is a usage error (2)" 2 "$BIN" run --date "$d" --db "$SCRATCH/r.db" \
        --config "$CFG" --dry-run
    cp "$SCRATCH/.last" "$SCRATCH/said"
    check "... saying it is outside 1800-2999" \
        grep -q "'$d' is a date outside the years this program handles (1800-2999)" "$SCRATCH/said"
done
check_exit "--date 2027-02-30 is a usage error (2)" 2 "$BIN" run --date 2027-02-30 --config "$CFG"
cp "$SCRATCH/.last" "$SCRATCH/said"
check "... saying it is not a day of the calendar" grep -q "not a day of the calendar" "$SCRATCH/said"

done_testing
