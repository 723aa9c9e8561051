#!/usr/bin/env bash
# cities: each seed city's specimen prints what the city's own page says (issue 21). For every
# office of the four configs, a specimen is rendered with every district sent to that office
# alone; its front page must carry the office's name, place, hours, who is served, and the
# phone numbers, as the table below has them from the cities' pages (000-004 per row, the
# pages the configs' header comments name by their address), and none of the numbers the
# configs once invented. The office list and the booking text must stay inside their boxes.
source "$(dirname "$0")/lib.sh"

MM=2.834645669 # points per millimetre

# The templates tree copied, so that a config with rewritten districts finds its templates.
cp -r "$ROOT/templates" "$SCRATCH/t"

# Text of one page with line breaks and spaces taken out: pdftotext turns a full-width
# space into an ASCII one, and drops some at line ends.
norm() { tr -d '\n ' | sed 's/　//g'; }
front_text() { pdftotext -f "$2" -l "$2" -raw "$1" - 2>/dev/null | norm; }

# specimen_for CITY OFFICE WALKIN_ONLY: a specimen where every district goes to OFFICE only
# (and books nowhere when the office takes walk-ins only).
specimen_for() {
    local cfg="$SCRATCH/t/municipalities/$1-$2.xml" policy='&'
    [ "$3" = yes ] && policy='policy="none"'
    sed -E -e "s/offices=\"[a-z ]+\"/offices=\"$2\"/" -e "s/policy=\"[a-z]+\"/$policy/" \
        "$ROOT/templates/municipalities/$1.xml" >"$cfg"
    "$BIN" specimen --config "$cfg" --date 2026-12-01 --out "$SCRATCH/$1-$2.pdf" >/dev/null 2>&1
}

# The page's facts, one office a row: city|office id|seed|what its letter must say (pieces
# separated by ";"). Hours pieces are how officecal words the page's hours.
TABLE=$(
    cat <<'EOF'
kasugai|main|000,003|市役所 戸籍住民課;市役所1階;電話 0568-85-6138;月〜金 8:30〜17:00;水曜は19:30まで;第3日曜を除く日曜 8:30〜17:00;12:00〜13:00を除く;予約のかたのみ;一部の土曜・祝日;開設日は市にご確認ください;年末年始（12月29日〜1月3日）は休み;予約なしの受付は月〜金 9:00〜16:00
kasugai|sakashita|000,003|坂下出張所;月〜金 8:30〜17:00。祝日・年末年始（12月29日〜1月3日）は休み;予約のかたのみ受付
kasugai|tobu|000,003|東部市民センター;月〜金 8:30〜17:00。祝日・年末年始（12月29日〜1月3日）は休み;予約のかたのみ受付
kasugai|ajiyoshi|000,003|味美ふれあいセンター;月〜金 8:30〜17:00。祝日・年末年始（12月29日〜1月3日）は休み;予約のかたのみ受付
kasugai|kozoji|000,003|高蔵寺ふれあいセンター;月〜金 8:30〜17:00。祝日・年末年始（12月29日〜1月3日）は休み;予約のかたのみ受付
takatsuki|main|001|市役所 市民課;本館7階 マイナンバーカード特設会場;月〜金 8:45〜17:15（11:30〜13:00を除く）;一部の土・日・祝日（開設日は市にご確認ください）;予約なしで受付
takatsuki|tonda|001|富田支所;月〜金 8:45〜17:15（11:30〜13:00を除く）;予約なしで受付
takatsuki|sangamaki|001|三箇牧支所;月〜金 8:45〜17:15（11:30〜13:00を除く）;予約なしで受付
takatsuki|kashida|001|樫田支所;月〜金 8:45〜17:15（11:30〜13:00を除く）;予約なしで受付
minoh|main|004|市役所 戸籍住民異動室;本館1階 102番窓口;月〜金 9:00〜17:00;第2・第4土曜 9:00〜17:00;3・4月のその他の土曜 9:00〜17:00;祝日・年末年始（12月29日〜1月3日）は休み;予約なしでも受付
minoh|toyokawa|004|豊川支所;月〜金（受付時間は市にご確認ください）;祝日・年末年始（12月29日〜1月3日）は休み;予約なしで受付（予約はできません）
minoh|todoromi|004|止々呂美支所;月〜金（受付時間は市にご確認ください）;祝日・年末年始（12月29日〜1月3日）は休み;予約なしで受付（予約はできません）
yokohama|tsurumi|002|鶴見区役所 戸籍課登録担当;月〜金 8:45〜17:00;第2・第4土曜 9:00〜12:00（祝日も開庁）;年末年始（12月29日〜1月3日）は休み;予約のかたのみ受付;予約は来庁前日の17時まで
yokohama|nishi|002|西区役所 戸籍課登録担当;月〜金 8:45〜17:00;第2・第4土曜 9:00〜12:00（祝日も開庁）;予約なしで受付
yokohama|aoba|002|青葉区役所 戸籍課登録担当;月〜金 8:45〜17:00;第2・第4土曜 9:00〜12:00（祝日も開庁）;予約なしで受付
yokohama|seya|002|瀬谷区役所 戸籍課登録担当;月〜金 8:45〜17:00;予約のかたのみ受付
EOF
)

# The phones each city's letters print (sender/footer and booking line), from the pages.
PHONES=$(
    cat <<'EOF'
kasugai|000|1|お問い合わせ：春日井市 市民生活部 戸籍住民課　電話 0568-85-6138
kasugai|000|1|予約電話 050-3821-0921（平日 8:30〜17:00、年末年始を除く）で
takatsuki|001|11|お問い合わせ：マイナンバーカード問い合わせ窓口　電話 072-674-7067
minoh|004|9|予約電話 072-724-6920（月〜金 9:00〜17:00、祝日・年末年始を除く）で
yokohama|002|1|予約電話 0120-769-706（無料。月〜金 8:30〜20:00、土日祝・年末年始 9:00〜17:30。IP電話などでつながらない場合 045-550-5454、聴覚・言語に障がいのある方はファクス 045-350-8484）で
yokohama|002|11|お問い合わせ：横浜市マイナンバーカード専用ダイヤル　電話 0120-769-706
EOF
)

# Numbers and hours the configs had invented before the pages arrived.
INVENTED='0568-00-|0568-85-6139|072-000-|045-000-|0120-000-|17:15.*高蔵寺|鷹来|南部ふれあい'

while IFS='|' read -r city office seed facts; do
    [ -n "$city" ] || continue
    walkin_only=no
    [[ "$facts" == *予約なしで受付* ]] && walkin_only=yes
    if ! specimen_for "$city" "$office" "$walkin_only"; then
        not_ok "$city $office: specimen renders"
        continue
    fi
    text="$(front_text "$SCRATCH/$city-$office.pdf" 1)"
    IFS=';' read -r -a pieces <<<"$facts"
    missing=""
    for p in "${pieces[@]}"; do
        grep -qF -- "$(norm <<<"$p")" <<<"$text" || missing+="[$p] "
    done
    check_eq "$city $office (seed $seed): name, place, hours, who is served" "" "$missing"
    check_eq "$city $office: nothing invented" "" "$(grep -oE "$INVENTED" <<<"$text")"
done <<<"$TABLE"

for city in kasugai takatsuki minoh yokohama; do
    pdf="$SCRATCH/$city.pdf"
    check_exit "$city: specimen renders" 0 "$BIN" specimen \
        --config "$ROOT/templates/municipalities/$city.xml" --date 2026-12-01 --out "$pdf"
    all=""
    for p in 1 3 5 7 9 11 13; do all+="$(front_text "$pdf" "$p")"; done
    check_eq "$city: no invented number on any front page" "" "$(grep -oE "$INVENTED" <<<"$all")"
    # Layout: the office list ends above the next heading (y 214 mm), the booking text
    # inside its box (y 159 mm), nothing past the right margin (190 mm), on every front.
    overflow=""
    for p in 1 3 5 7 9 11 13; do
        overflow+="$(pdftotext -f $p -l $p -bbox "$pdf" - 2>/dev/null | awk -F'"' -v mm="$MM" -v p="$p" '
            /<word/ { x1 = $6 / mm; y0 = $4 / mm; y1 = $8 / mm
                      if (y0 > 168 && y0 < 214 && y1 > 210) print "p" p " offices: " $0
                      if (y0 > 146 && y0 < 159 && x1 < 160 && y1 > 159) print "p" p " booking: " $0
                      if (y0 > 115 && y0 < 214 && x1 > 190.5) print "p" p " margin: " $0 }')"
    done
    check_eq "$city: office list and booking text inside their boxes" "" "$overflow"
done

while IFS='|' read -r city seed page want; do
    [ -n "$city" ] || continue
    check "$city (seed $seed): page $page says '$want'" grep -qF -- "$(norm <<<"$want")" \
        <<<"$(front_text "$SCRATCH/$city.pdf" "$page")"
done <<<"$PHONES"

# A config that prints hours next to "unconfirmed" is refused, naming file and line.
sed 's|<hours days="mon-fri" unconfirmed="true"/>|<hours days="mon-fri" unconfirmed="true" open="8:45" close="17:15"/>|' \
    "$ROOT/templates/municipalities/minoh.xml" >"$SCRATCH/t/municipalities/guess.xml"
check_exit "a guessed time on an unconfirmed rule is refused" 2 "$BIN" specimen \
    --config "$SCRATCH/t/municipalities/guess.xml" --out "$SCRATCH/guess.pdf"
cp "$SCRATCH/.last" "$SCRATCH/guess.log"
check "... naming the file, line and rule" grep -qE 'guess.xml:[0-9]+: an unconfirmed rule takes no open' "$SCRATCH/guess.log"

done_testing
