#!/usr/bin/env bash
# render: the specimen of every municipality prints clean PDFs (qpdf, embedded fonts), the
# address block lies inside the 長形3号 window, the QR code decodes to the booking URL, and
# each variant's pages carry the right dates, reservation ID, PIN boxes and offices.
source "$(dirname "$0")/lib.sh"

MM=2.834645669 # points per millimetre
# The window of a 長形3号 envelope on the folded letter, with 2 mm of tolerance inside:
# x 20-110 mm, y 12-57 mm from the top-left corner of the page.
WIN_X0=$(echo "20 * $MM" | bc -l); WIN_X1=$(echo "110 * $MM" | bc -l)
WIN_Y0=$(echo "12 * $MM" | bc -l); WIN_Y1=$(echo "57 * $MM" | bc -l)

page_text() { pdftotext -f "$2" -l "$2" -raw "$1" - 2>/dev/null; }

# Words of page 1 left of the sender block and above the title: the address block.
address_words() {
    pdftotext -f 1 -l 1 -bbox "$1" - 2>/dev/null |
        awk -F'"' '/<word/ { if ($2 + 0 < 320 && $8 + 0 < 175) print $2, $4, $6, $8, $9 }'
}

for town in kasugai takatsuki yokohama minoh; do
    cfg="$ROOT/templates/municipalities/$town.xml"
    pdf="$SCRATCH/$town.pdf"
    check_exit "$town: specimen renders" 0 "$BIN" specimen --config "$cfg" --date 2026-12-01 --out "$pdf"
    [ -f "$pdf" ] || continue
    # The seven variants' pairs, the large-print front's four pages (no <languages>), then
    # the six reminders' pairs (every variant but the expired one).
    check_eq "$town: one page pair per variant (7), large print (4), reminders (6)" 30 \
        "$(pdfinfo "$pdf" 2>/dev/null | awk '/^Pages:/ {print $2}')"
    check "$town: qpdf --check passes" qpdf --check "$pdf"
    check_eq "$town: both fonts embedded, and BIZ UD's two for large print" 4 "$(pdffonts "$pdf" 2>/dev/null | awk 'NR > 2 && $(NF-4) == "yes"' | wc -l)"
    check_eq "$town: file mode 0600" 600 "$(stat -c %a "$pdf")"

    words="$(address_words "$pdf")"
    outside="$(echo "$words" | awk -v x0="$WIN_X0" -v x1="$WIN_X1" -v y0="$WIN_Y0" -v y1="$WIN_Y1" \
        'NF && ($1 < x0 || $3 > x1 || $2 < y0 || $4 > y1)')"
    check_eq "$town: address block inside the window" "" "$outside"
    check "$town: window shows the postcode" grep -q '〒' <<<"$words"
    check "$town: window shows the name with 様" grep -q '様' <<<"$words"
    check "$town: window shows the 方書" grep -q '見本マンション101号' <<<"$words"

    # Every page carries its sequence number and page number for the inserter.
    marks=0
    for p in $(seq 1 14); do
        seq=$(printf 'No.%06d' $(((p + 1) / 2)))
        side=$((p % 2 == 1 ? 1 : 2))
        page_text "$pdf" "$p" | grep -q "$seq.$side/2" && marks=$((marks + 1))
    done
    check_eq "$town: every page numbered" 14 "$marks"
done

# Kasugai, page by page (variants in the order of cmd_specimen.c).
pdf="$SCRATCH/kasugai.pdf"
front="$(page_text "$pdf" 1)"
check "front: expiry in 和暦 and 西暦" grep -q '令和9年3月14日（日）（2027年3月14日）' <<<"$front"
check "front: renewal window" grep -q '令和8年12月15日（火） から 令和9年3月14日（日） まで' <<<"$front"
check "front: both certificates" grep -q '署名用電子証明書・利用者証明用電子証明書' <<<"$front"
check "front: issue date" grep -q '令和8年12月1日' <<<"$front"
check "front: reservation required" grep -q '窓口での手続きには予約が必要です' <<<"$front"
check "front: the district's office" grep -q '市役所 戸籍住民課' <<<"$front"
check "front: the office's hours" grep -q '19:30' <<<"$front"
rid="$(grep -oE '[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}' <<<"$front" | head -1)"
check "front: reservation ID in XXXX-XXXX-XXXX" test -n "$rid"
pdftoppm -r 150 -png -f 1 -l 1 "$pdf" "$SCRATCH/k" 2>/dev/null
url="$(zbarimg -q --raw "$SCRATCH"/k-*1.png 2>/dev/null | head -1)"
check_eq "front: QR code is the booking URL with the ID" "HTTPS://EXAMPLE.JP/KASUGAI/R/${rid//-/}" "$url"
back="$(page_text "$pdf" 2)"
check "back: 照会書兼回答書" grep -q '照会書兼回答書（兼委任状）' <<<"$back"
check "back: signing PIN boxes" grep -q '署名用電子証明書の暗証番号' <<<"$back"
check "back: user PIN boxes" grep -q '利用者証明用電子証明書の暗証番号' <<<"$back"
check "back: resident's details" grep -q '見本 太郎' <<<"$back"
check "back: sealing instruction" grep -q '記入後は同封の封筒に入れ封をしてください' <<<"$back"
check "back: 見本" grep -q '見 本' <<<"$back"
check "user only: no signing certificate" bash -c "! grep -q '署名用電子証明書・' <<<'$(page_text "$pdf" 3)'"
check "user only: no signing PIN boxes" bash -c "! grep -q '署名用電子証明書の暗証番号' <<<'$(page_text "$pdf" 4)'"
check "face-auth: no PIN, a sentence" grep -q '暗証番号の記入は不要です' <<<"$(page_text "$pdf" 6)"
check "face-auth: no PIN boxes" bash -c "! grep -q '暗証番号（数字4桁）' <<<'$(page_text "$pdf" 6)'"
check "adult ward: guardian's path" grep -q '法定代理人' <<<"$(page_text "$pdf" 8)"
check "optional: walk-ins also served" grep -q '予約なしでも手続きできます' <<<"$(page_text "$pdf" 9)"
walkin="$(page_text "$pdf" 11)"
check "walk-in: where to go instead" grep -q '予約は不要です' <<<"$walkin"
check "walk-in: no reservation ID" bash -c "! grep -qE '[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}' <<<'$walkin'"
check "expired: 新規発行 guidance" grep -q '新規発行' <<<"$(page_text "$pdf" 13)"

# Yokohama: a walk-in ward's specimen lists its ward office.
check "yokohama walk-in: 西区役所" grep -q '西区役所 戸籍課' <<<"$(page_text "$SCRATCH/yokohama.pdf" 11)"

# Usage and configuration errors.
check_exit "specimen without --out is a usage error" 2 "$BIN" specimen --config "$CONFIG"
mkdir -p "$SCRATCH/broken/municipalities"
cp "$ROOT/templates/template.xsd" "$ROOT/templates/letter-back.xml" "$SCRATCH/broken/"
sed 's/{name}/{nmae}/' "$ROOT/templates/letter-front.xml" >"$SCRATCH/broken/letter-front.xml"
cp "$ROOT/templates/municipalities/kasugai.xml" "$SCRATCH/broken/municipalities/"
check_exit "a broken template fails before any letter" 2 "$BIN" specimen \
    --config "$SCRATCH/broken/municipalities/kasugai.xml" --out "$SCRATCH/b.pdf"
cp "$SCRATCH/.last" "$SCRATCH/broken.log"
check "... naming file, line and problem" grep -q 'letter-front.xml:26: unknown variable {nmae}' "$SCRATCH/broken.log"
check "... and writing nothing" test ! -e "$SCRATCH/b.pdf"

done_testing
