#!/usr/bin/env bash
# Output stays byte-identical: the SHA-256 of every file a night writes (the sample with the
# demo's postcode dictionary, and a generated 3,000-resident night), of a reprint, the
# specimen, export-reservations, the forecast, and the booking pages of a whole booking
# (status line and body), against the checksums kept below. A refactor must not change one
# byte of them.
#
# Reservation IDs are random: the binary runs with tests/tools/fixed_random.c preloaded, a
# getrandom(2) that returns a fixed stream, so every run draws the same IDs. libharu writes
# no creation date or document ID in our PDFs (no encryption, no info dates set), so the
# PDFs need no stripping. In the pages the CSRF token is normalised all the same (in case a
# token stops coming from getrandom), and so is the ICS file's DTSTAMP (--now's clock runs on
# from the pinned time, so it says when the test ran).
#
# A change that alters output ON PURPOSE (a faster PDF writer, #30; the pages in another
# language, #29; a layout fix) must update the checksums in the same commit and say in its
# message which output changed and why. IDENTICAL_UPDATE=1 prints the new blocks to paste:
#     IDENTICAL_UPDATE=1 bash tests/e2e/identical.sh | sed -n '/^# ---- /,$p'
# Everything else that changes a checksum is a regression.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/helpers/serve.sh"
DATE=2026-12-01
SHIM="$ROOT/build/asan/tests/fixed_random.so"
W="$SCRATCH/w"; mkdir -p "$W"
trap 'serve_stop_all; rm -rf "$SCRATCH"' EXIT

# fixed BIN ARGS...: certnotice with the fixed random stream (ASan must let the shim come
# first in the library list).
fixed() {
    LD_PRELOAD="$SHIM" ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0" \
        CERTNOTICE_FIXED_RANDOM=28 "$BIN" "$@"
}
# sums DIR: "SHA256  path" of every file under DIR, by path.
sums() { (cd "$1" && find . -type f | LC_ALL=C sort | xargs -d '\n' sha256sum); }
# same NAME ACTUAL_FILE: compares with the block of that name at the end of this file.
same() {
    local want="$SCRATCH/want-$1"
    sed -n "/^# ---- $1\$/,/^# ---- end\$/p" "${BASH_SOURCE[0]}" | sed '1d;$d' | sed 's/^# //' >"$want"
    if [ -n "${IDENTICAL_UPDATE:-}" ]; then
        UPDATES+="# ---- $1"$'\n'"$(sed 's/^/# /' "$2")"$'\n'"# ---- end"$'\n'
    fi
    if [ ! -s "$want" ]; then not_ok "$1: no checksums kept for it"; return; fi
    if diff -u "$want" "$2" >"$SCRATCH/diff-$1"; then ok "$1: byte-identical ($(wc -l <"$2") files)"
    else not_ok "$1: output changed"; sed 's/^/# /' "$SCRATCH/diff-$1" | head -30; fi
}
UPDATES=""
check "the fixed-random shim is built (make asan)" test -f "$SHIM"

# ---- the sample night, with the demo's postcode dictionary
# A plain KEN_ALL file is dated by its mtime (the report's ken_all_date and age_days): a
# fresh clone's is the day of the clone, so the test imports a copy of a fixed date.
KEN_ALL="$SCRATCH/ken_all-kasugai.csv"
cp "$ROOT/input/postal/ken_all-kasugai.csv" "$KEN_ALL"
touch -d '2026-11-30 12:00' "$KEN_ALL"
check_exit "postal import (the demo's KEN_ALL rows)" 0 \
    fixed postal import --db "$W/cn.db" "$KEN_ALL"
check_exit "the sample night" 0 fixed run --date "$DATE" --input "$ROOT/input/sample" \
    --db "$W/cn.db" --out "$W/out" --config "$CONFIG"
sums "$W/out" >"$SCRATCH/night"
same sample-night "$SCRATCH/night"

# ---- a reprint of three letters (by reservation and resident ID)
ids=$(tr -d '\r' <"$W/out/$DATE/internal/notices.csv" | awk -F, 'NR>1 && NR<=3 {print $2} NR==4 {print $1}')
# shellcheck disable=SC2086
check_exit "reprint" 0 fixed reprint --date 2026-12-02 --db "$W/cn.db" --out "$W/reprint" \
    --config "$CONFIG" $ids
sums "$W/reprint" >"$SCRATCH/reprint"
same reprint "$SCRATCH/reprint"

# ---- the specimen and the booking feed
mkdir -p "$W/spec"
check_exit "specimen" 0 fixed specimen --config "$CONFIG" --db "$W/cn.db" --out "$W/spec/specimen.pdf"
fixed export-reservations --db "$W/cn.db" >"$W/spec/export-reservations.csv" 2>/dev/null
sums "$W/spec" >"$SCRATCH/spec"
same specimen-export "$SCRATCH/spec"

# ---- the booking pages: a whole booking, then its change, by one resident
B="$W/out/$DATE"
rid=$(rid_in_district "$B" "$ROOT/input/sample/residents.csv" 01 3)
bday=$(bday_of_rid "$B" "$ROOT/input/sample/residents.csv" "$rid")
# The pages are served from the booking store the night's feed fills (the outside).
check_exit "feed import of the sample night" 0 fixed feed --db "$W/booking.db" --config "$CONFIG" \
    import "$B/booking"
LD_PRELOAD="$SHIM" ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0" \
    CERTNOTICE_FIXED_RANDOM=28 serve_start PAGES "$W/booking.db" 2026-12-03T10:00
U="$SERVE_URL"
P="$W/pages"; mkdir -p "$P"
n=0
# keep: the last response as page NN-NAME: its status line and its body, tokens normalised.
keep() {
    n=$((n + 1))
    { head -1 "$HEAD" | tr -d '\r'; grep -i '^location:' "$HEAD" | tr -d '\r' | sed 's#http://[^/]*##'
      grep -i '^content-type:' "$HEAD" | tr -d '\r'; echo
      sed -E 's/(name="csrf" value=")[0-9a-f]+/\1TOKEN/g; s/^DTSTAMP:[0-9TZ]+/DTSTAMP:NOW/' "$BODY"; } >"$P/$(printf %02d "$n")-$1"
}
new_session
get "$U/"; keep start
get "$U/style.css"; keep style
get "$U/R/$rid"; keep rid
get "$U/birthday"; keep birthday
post "$U/birthday" "bday-month=13&bday-day=1"; keep birthday-invalid
post "$U/birthday" "bday-month=$((10#${bday:0:2}))&bday-day=$((10#${bday:2:2}))"; keep birthday-ok
get "$U/date"; keep date
post "$U/date" "date=2026-12-08"; keep date-post
get "$U/slot"; keep slot
post "$U/slot" "slot=10:00"; keep slot-post
get "$U/check"; keep check
post "$U/check" ""; keep check-post
get "$U/done"; keep done
get "$U/booking.ics"; keep ics
get "$U/print"; keep print
get "$U/R/$rid"; keep rid-booked
get "$U/birthday?intent=change"; keep change
get "$U/date"; keep change-date
get "$U/nope"; keep not-found
serve_stop PAGES
# The counter's six columns (the rest carry clock times: status, reason, the change times).
"$BIN" export-bookings --db "$W/booking.db" | cut -d, -f1-6 | sed 's/$/\r/' >"$P/export-bookings.csv"
# ...and the bookings back inside, which the forecast reads.
"$BIN" export-bookings --db "$W/booking.db" --since 2000-01-01 --out "$W/bookings.csv" 2>/dev/null
check_exit "bookings import inside" 0 "$BIN" bookings --db "$W/cn.db" import "$W/bookings.csv"
sums "$P" >"$SCRATCH/pages"
same booking-pages "$SCRATCH/pages"

# ---- the forecast over the sample's letters and the booking above
check_exit "forecast" 0 fixed forecast --db "$W/cn.db" --config "$CONFIG" --from 2026-11-30 \
    --weeks 26 --out "$W/forecast"
sums "$W/forecast" >"$SCRATCH/forecast"
same forecast "$SCRATCH/forecast"

# ---- a generated night of 3,000 residents
python3 "$ROOT/scripts/gen-residents.py" --count 3000 --seed 28 --date "$DATE" >"$SCRATCH/gen.csv"
fixed postal import --db "$W/gen.db" "$KEN_ALL" 2>/dev/null
check_exit "the 3,000-resident night" 0 fixed run --date "$DATE" --input "$SCRATCH/gen.csv" \
    --db "$W/gen.db" --out "$W/gen" --config "$CONFIG"
sums "$W/gen" >"$SCRATCH/gen"
same night-3000 "$SCRATCH/gen"

# IDENTICAL_KEEP=DIR keeps the outputs there, to diff them with an earlier build's.
[ -n "${IDENTICAL_KEEP:-}" ] && cp -a "$W" "$IDENTICAL_KEEP"
[ -n "${IDENTICAL_UPDATE:-}" ] && printf '%s' "$UPDATES"
done_testing
exit 0

# The checksums (sha256sum of each file, by path), one block per output.
# ---- sample-night
# 5017c9466ebbef9d74bb4214496913c68920932a2a1ddfa4aaf31fb4eb1fc587  ./2026-12-01/booking/feed.csv
# 624a2f05a6f7429d150d656dd88b59ab16c3d0c39a07f43d1f1282f0d92c4fbe  ./2026-12-01/booking/feed.json
# 9e043de27fd422cd292405bca93d74c4d94f7abd5c8a3621a4df2914f2864710  ./2026-12-01/booking/reservations.csv
# 993150c3af7df1d830ab5e7cb217bdaaf6f177983dd1d6c2f81c3134083256e1  ./2026-12-01/internal/notices.csv
# 9897e842fa25c5cf65b6ea48d5ae44e281209b59595dd90cdd45d96fb5c7fdbd  ./2026-12-01/internal/outcomes.csv
# ea085ab7f2492c95c08adc04b8304b1ff963209cf4e8187cd543079a00512cc5  ./2026-12-01/internal/rejects.csv
# fb6c4ff9163f7fffe2d365c07496fee8937fdbdc35bebeb95ff16b88eff9fd47  ./2026-12-01/internal/report.json
# 8c05b147356b2ba12439aa24aa3a50d19256f52e379bcb41da967ea267b0df77  ./2026-12-01/internal/review.csv
# d40fa5b3e811985520fff08ef613a986a62374274f2bf2912c2a0c91964761de  ./2026-12-01/print/SHA256SUMS
# d9f8053eb81d10c276fa0e2d3393cd8d560e13a31e930c6d705f6225525d4406  ./2026-12-01/print/control-sheet.pdf
# 74d601c2145a5252c00b49acba290f2cd6eac33516dcfe5069a7fde93285ff6c  ./2026-12-01/print/manifest.csv
# 0a713ee08f7cee2aceb4f719d31e2193b780900a8919942c105905f0f9a467b3  ./2026-12-01/print/manifest.xml
# 28503613c3ec166442f4dd8477d47201b86e9d91dd0e26b5266c69ddae818fbc  ./2026-12-01/print/notices-001.pdf
# ---- end
# ---- reprint
# 8b39f37e748f290f0eeb716ed867a1f7bed76d92ce67a2a2d721d16bc1ef8ba5  ./2026-12-02-reprint/booking/reservations.csv
# 8616d26f677adac6e730cbf9719ec05936c6fdcd18ec04647e674e0ad45c08cb  ./2026-12-02-reprint/internal/notices.csv
# d15cd27d6278b8f4adac4f5d7cece79c6ddb72b266bd536eb241817337c8d68d  ./2026-12-02-reprint/print/SHA256SUMS
# 1be98037ad0a8fb78ae7514cbac75f28f8f0f074281d3cfd868a94847e7d43cc  ./2026-12-02-reprint/print/control-sheet.pdf
# ee9082b5e516524ad9c0178f8d56488fbb6c792a3e749a308e71fba461e37c75  ./2026-12-02-reprint/print/manifest.csv
# a3635a49e094a9c89eaa7815bca2e095fc2d4c49eb543a44044d69f4e1244346  ./2026-12-02-reprint/print/manifest.xml
# 1de9aee7708b8cbc3c134422df7617eb83bf37a13ff6e714147996d3870a9853  ./2026-12-02-reprint/print/notices-001.pdf
# ---- end
# ---- specimen-export
# 62e182e55ab4510102cf8b241c3d12776c55c0fecf347e70ad2bced866e96c2d  ./export-reservations.csv
# 0e8290fd53b83d95e353a1c9f1b31289affbd30a64b39fe6915b5510c2e3191e  ./specimen.pdf
# ---- end
# ---- booking-pages
# 5e50b8071ab750397b3e64f70de63f59594ce47a44b90dbbd5a8bec6a29431ce  ./01-start
# f7c3c690ea3f32fc0e90f2d5044c1654e01a3fc7b2b64f8678627495c5bc1e0d  ./02-style
# bf6513dfdbefdda9f6e0253818fe3a1b17e243f00c0574f0acd66b38f7a5548b  ./03-rid
# 339a965f644c1a59fb41658a8898251d2f6aff247a91c479fffdce8434c7ee10  ./04-birthday
# 1724bdf237c6f91d76dff8d5e6b8d1721fdfb8185b5131d20463103bb194898f  ./05-birthday-invalid
# 5a3e8ec71bd8bf50eb7ea421e52304fcce7bfc864445b9680a606c0750f8688f  ./06-birthday-ok
# a5d530d119189b92ea818d6bd110cd62fd29101e9a468ee839a659d2f48a9a27  ./07-date
# 3208efa27ad5aa99076037abb3ef85da87956a0700a5d05ee3b7c732034ea692  ./08-date-post
# fd5d9c61db4a5d022bc96651588d87327e5b4c432914f1dab1b0174b1de1d0b3  ./09-slot
# ab85fa22d53c69f9c490a5cf3a7b592da69a9300fb4a91c34c93f38bd4cbf199  ./10-slot-post
# 806a352f92d0ed8b49da35d30699cb55b7a73e810ccfc7d880f903dd4bc7f502  ./11-check
# 9a8c24117ba007d8344af18f00439c311d2fd0c94f520313f1f26134d0337171  ./12-check-post
# 4dc69e88b25b0ab2367ba90ce6012c17be9530411a2975db60b00ddb2b0901d1  ./13-done
# 957b555273eb093f2f4e032814342ecca7b4453de87b45103aa1a32a2a492bbb  ./14-ics
# 1fb94d673ec70e08995b40238d3dfa927a60bda9a670ebef9e84c53ed234e120  ./15-print
# 0756201d18740903121b5186ca8c9d1a8a99d1d085857eae0c3c1b9309d3c851  ./16-rid-booked
# 5a3e8ec71bd8bf50eb7ea421e52304fcce7bfc864445b9680a606c0750f8688f  ./17-change
# 5cb095069df98c616f091a3f7a4c4aa4330ec4ea307861d4a1cc356912726900  ./18-change-date
# 987131308003deca51df4f8044394d6734cfba2a51d849c0bad1c010972e2a5a  ./19-not-found
# 994b1eca1eda9b8c08f8cb48464339c204a80c8dccee3178c0abc65d18874dc6  ./export-bookings.csv
# ---- end
# ---- forecast
# e4337b35249eba314b906eed03123714e6a489626b02504ef81994836973d103  ./curve.csv
# 58d1329a61f6e183f5da8218f5171d4a1fb55ec0541d5e300b6fb0296dd27db6  ./forecast.csv
# f6dc2dfbef4ceb1935668e8b46cc54e1e0993dc43b5528e3b390df2a03c5ff88  ./forecast.pdf
# 1a29cdfc07e7fb836096ae178ea3cae7d2fa341471e1b2fc363b7835c2a525cb  ./forecast.svg
# ---- end
# ---- night-3000
# 90aac26feef4fc2df5c5747930e3da0aab4e3ae2e284008bfcabcd6a0c29e3fb  ./2026-12-01/booking/feed.csv
# d25512f164af34cc5f89c6138fcfc03149a732122a6a961435f307ff556bb58d  ./2026-12-01/booking/feed.json
# f8ac0503514143cdbac29b948a69e14902143814f4531d17f0f9c6743e6a3c6a  ./2026-12-01/booking/reservations.csv
# b8a58b0a3f3631b97b1535d4c0c01d4eeb955c6d3f44b026c0e6823039af50a1  ./2026-12-01/internal/notices.csv
# 9897e842fa25c5cf65b6ea48d5ae44e281209b59595dd90cdd45d96fb5c7fdbd  ./2026-12-01/internal/outcomes.csv
# ea085ab7f2492c95c08adc04b8304b1ff963209cf4e8187cd543079a00512cc5  ./2026-12-01/internal/rejects.csv
# b6a9ccdeddb797ac0addbefeae7da906cfc58c1d2ba98e54af002cc159844b59  ./2026-12-01/internal/report.json
# 8c05b147356b2ba12439aa24aa3a50d19256f52e379bcb41da967ea267b0df77  ./2026-12-01/internal/review.csv
# 4f83d5e4032b519e6081eee8be7f5c5c66b7ab0286b200805a651c81def52d76  ./2026-12-01/print/SHA256SUMS
# b52e6847dc611a87fb13ffce6799c443cd827f852f955166da1d397dd2a186d9  ./2026-12-01/print/control-sheet.pdf
# 77f030000c7d4f415c3d7da46b00e5397afd007c2284589463462bce2416a9ca  ./2026-12-01/print/manifest.csv
# 43de7053f00a33596113654244504dfd7f545387ca11dba90589516d557a0444  ./2026-12-01/print/manifest.xml
# f27abf2acc86bea45864c6d2a3895cd91ebc4577efb9eb23966003362373b773  ./2026-12-01/print/notices-001.pdf
# ---- end
