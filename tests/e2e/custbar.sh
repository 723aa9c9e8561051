#!/usr/bin/env bash
# custbar: the command prints Japan Post's customer-barcode symbols, refuses addresses it
# cannot read (exit 1) and bad usage or postcodes (exit 2).
source "$(dirname "$0")/lib.sh"

check_eq "manual example 1" "2 6 3 0 0 2 3 3 - 3 0 - 8 - 4 0 3 CC4 CC4 CC4 5" \
    "$("$BIN" custbar 263-0023 '千葉市稲毛区緑町3丁目30-8 郵便ビル403号')"
check_eq "manual example 2, postcode without hyphen" \
    "1 1 0 0 0 1 6 5 - 6 - 3 - 1 0 CC4 CC4 CC4 CC4 CC4 9" \
    "$("$BIN" custbar 1100016 '東京都台東区台東5-6-3 ABCビル10F')"
check_eq "manual example 3" "2 7 3 0 1 0 2 3 - 2 0 - 5 CC1 1 6 0 4 CC4 CC4 0" \
    "$("$BIN" custbar 273-0102 '千葉県鎌ケ谷市右京塚 東3丁目-20-5 郵便・A&bコーポB604号')"
check_eq "kanji numerals" "1 0 0 0 0 1 3 1 1 - 2 3 CC4 CC4 CC4 CC4 CC4 CC4 CC4 CC4 CC8" \
    "$("$BIN" custbar 100-0013 '東京都千代田区霞が関十一丁目二十三番')"

check_exit "no address number: exit 1" 1 "$BIN" custbar 100-0001 '東京都千代田区千代田'
check_exit "ambiguous kanji numeral: exit 1" 1 "$BIN" custbar 100-0013 '東京都千代田区霞が関三丁目五'
"$BIN" custbar 100-0001 '東京都千代田区千代田' >"$SCRATCH/out" 2>"$SCRATCH/err"
check_eq "refusal prints nothing on stdout" "" "$(cat "$SCRATCH/out")"
check "refusal says why on stderr" grep -q "address number" "$SCRATCH/err"

check_exit "bad postcode: exit 2" 2 "$BIN" custbar 12-34567 '千葉市稲毛区緑町3丁目30-8'
check_exit "postcode with letters: exit 2" 2 "$BIN" custbar 263-00A3 '千葉市稲毛区緑町3丁目30-8'
check_exit "missing address: exit 2" 2 "$BIN" custbar 263-0023
check_exit "too many arguments: exit 2" 2 "$BIN" custbar 263-0023 a b

done_testing
