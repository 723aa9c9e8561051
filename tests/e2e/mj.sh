#!/usr/bin/env bash
# mj: names and addresses printed as the registry writes them (issue 14). A night of the
# fixture (tests/fixtures/mj: characters outside the BMP, Moji_Joho and Adobe-Japan1
# variation sequences, BMP characters IPAex lacks, compatibility ideographs, a mapped and an
# unmapped PUA gaiji) holds only the unmapped gaiji; pdftotext gives back every exact
# sequence on the front and on the back's proxy form; every font is embedded and qpdf and
# poppler find nothing wrong; the glyph drawn is the font's own glyph, compared with
# FreeType's rendering (tests/fixtures/mj/ref). CP932 input keeps the IBM extensions and
# maps the user-defined area through the gaiji map; a sequence no font has is held, named.
source "$(dirname "$0")/lib.sh"
DATE=2026-12-01
FIX="$FIXTURES/mj"
GLYPHREF="$ROOT/build/asan/tests/glyphref"
CMP="$ROOT/tests/e2e/helpers/glyphcmp.py"
MJ_FONT=/usr/share/fonts/truetype/ipamj/ipamjm.ttf
EX_MINCHO=/usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf

config() { # encoding: the demo config with the fixture's gaiji map, templates by full path
    sed -e "s|<gaiji map=\"demo-gaiji.txt\"/>|<gaiji map=\"$FIX/gaiji.txt\"/><templates front=\"$ROOT/templates/letter-front.xml\" back=\"$ROOT/templates/letter-back.xml\"/>|" \
        -e "s|input-encoding=\"utf-8\"|input-encoding=\"$1\"|" \
        "$ROOT/templates/municipalities/demo.xml" >"$SCRATCH/$1.xml"
    echo "$SCRATCH/$1.xml"
}
night() { # name input-dir encoding: runs the night, its batch folder in $SCRATCH/name
    "$BIN" run --date "$DATE" --input "$2" --db "$SCRATCH/$1.db" --out "$SCRATCH/$1" \
        --config "$(config "$3")" >"$SCRATCH/$1.log" 2>&1
}
ids() { tail -n +2 "$1" | cut -d, -f1 | tr -d '\r' | sort | tr '\n' ' '; }

# ---- the fixture's night ---------------------------------------------------------------
check_exit "the fixture's night runs" 0 night utf8 "$FIX/utf8" utf-8
B="$SCRATCH/utf8/$DATE"
check_eq "only the unmapped gaiji is held for review" "MJ19 " "$(ids "$B/internal/review.csv")"
check "its reason names the code point" grep -q 'U+E0FF' "$B/internal/review.csv"
check_eq "every other letter prints (18)" 18 "$(tail -n +2 "$B/internal/notices.csv" | wc -l)"
pdf="$B/print/notices-001.pdf"
check "qpdf --check is clean" qpdf --check "$pdf"
fonts="$(pdffonts "$pdf" 2>&1)"
check_eq "every font is embedded" "" "$(awk 'NR > 2 && $(NF-4) != "yes"' <<<"$fonts")"
check "IPAmj明朝 is embedded as a subset" grep -q '^[A-Z]\{6\}+IPAmjMincho .*CID TrueType' <<<"$fonts"
# -raw: in reading order. poppler gives U+3000 (between surname and given name) back as an
# ASCII space, as it always did for libharu's own text; every other character is compared.
pdftotext -raw -enc UTF-8 "$pdf" "$SCRATCH/all.txt" 2>"$SCRATCH/poppler.err"
check_eq "poppler reads every ToUnicode without a warning" "" "$(cat "$SCRATCH/poppler.err")"
check_eq "the control sheet's too (libharu's own ToUnicode repaired)" "" \
    "$(pdftotext "$B/print/control-sheet.pdf" - 2>&1 >/dev/null)"

pages=$(pdfinfo "$pdf" 2>/dev/null | awk '/^Pages:/ {print $2}')
for p in $(seq 1 "$pages"); do
    pdftotext -raw -enc UTF-8 -f "$p" -l "$p" "$pdf" "$SCRATCH/p$p.txt" 2>/dev/null
done
front_page() { # name: the front page (odd) that carries it
    for p in $(seq 1 2 "$pages"); do grep -qF "$1" "$SCRATCH/p$p.txt" && { echo "$p"; return; }; done
}
# Each exact sequence, as printed (the mapped gaiji as its table's sequence).
while IFS='|' read -r name printed; do
    want="${printed:-$name}"
    want="${want//　/ }"
    p=$(front_page "$want")
    if [ -z "$p" ]; then not_ok "front page gives back $want exactly"; continue; fi
    ok "front page gives back $want exactly"
    check "the back's proxy form prints the same $want" grep -qF "$want" "$SCRATCH/p$((p + 1)).txt"
done <<EOF2
𠮷田　太郎|
𡈽屋　花子|
𣘺本　一郎|
𩸽川　次郎|
𠮟田　三郎|
辻󠄂本　二郎|
辻󠄃村　三郎|
葛󠄂西　四郎|
渡邉󠄏　五郎|
齋󠄃藤　六郎|
山﨑󠄂　七子|
祇󠄂園　八重|
辻󠄀　九郎|
槗本　十子|
戶田　一子|
神田　隆|
山本　隆|
野　和子|葛󠄂野　和子
EOF2
check "an address outside the BMP prints as written" grep -qF '見本市𠮷田町1丁目2番3号' "$SCRATCH/all.txt"
check "no compatibility ideograph was normalized away (U+FA19 U+F9DC kept)" \
    bash -c "grep -qF $'\uFA19田' '$SCRATCH/all.txt' && grep -qF $'本 \uF9DC' '$SCRATCH/all.txt'"
check "the unmapped gaiji's name is nowhere in the print file" \
    bash -c "! grep -qF $'\uE0FF' '$SCRATCH/all.txt' && ! grep -qF '川　良子' '$SCRATCH/all.txt'"

# ---- the glyph drawn is the font's glyph ------------------------------------------------
# The name's first glyph on the front: x 26 mm, baseline 47 mm, 15 pt (letter-front.xml),
# rendered at 288 dpi (11.34 px a mm, the em 60 px) and cut to its em box.
crop() { # page out.pgm
    pdftoppm -r 288 -gray -f "$1" -l "$1" -x 294 -y 472 -W 62 -H 80 "$pdf" "$SCRATCH/crop" &&
        mv "$SCRATCH/crop-"*"$1.pgm" "$2"
}
score() { python3 "$CMP" "$1" "$2"; }
good() { awk -v s="$1" 'BEGIN { exit !(s >= 0.97) }'; }
while IFS='|' read -r name ref; do
    p=$(front_page "$name")
    [ -n "$p" ] && crop "$p" "$SCRATCH/$ref.pgm"
    s=$(score "$SCRATCH/$ref.pgm" "$FIX/ref/$ref.png" 2>/dev/null)
    check "the front's $name is FreeType's glyph $ref (score ${s:-none})" good "${s:-0}"
done <<EOF2
𠮷田|20BB7
辻󠄂本|8FBB_E0102
辻󠄃村|8FBB_E0103
辻󠄀 九郎|8FBB_E0100
槗本|69D7
葛󠄂西|845B_E0102
EOF2
# The comparison tells the selectors apart: one-dot 辻 is not two-dot 辻.
s=$(score "$SCRATCH/8FBB_E0102.pgm" "$FIX/ref/8FBB_E0103.png" 2>/dev/null)
check "辻 U+E0102 drawn does not pass for U+E0103 (score ${s:-none})" bash -c "! awk -v s='${s:-1}' 'BEGIN { exit !(s >= 0.97) }'"
# The references are FreeType's rendering today (a changed font would show here).
for ref in 20BB7 8FBB_E0102 8FBB_E0103 69D7 845B_E0102 8FBB_E0100; do
    font=$MJ_FONT
    [ "$ref" = 8FBB_E0100 ] && font=$EX_MINCHO
    "$GLYPHREF" "$font" "${ref/_/+}" 15 288 "$SCRATCH/ft-$ref.pgm" 2>/dev/null
    s=$(score "$SCRATCH/ft-$ref.pgm" "$FIX/ref/$ref.png" 2>/dev/null)
    check "reference $ref is FreeType's rendering (score ${s:-none})" good "${s:-0}"
done

# ---- CP932 input: IBM extensions and the user-defined area -------------------------------
check_exit "a CP932 night runs" 0 night cp932 "$FIX/cp932" cp932
B="$SCRATCH/cp932/$DATE"
check_eq "nothing held" "" "$(ids "$B/internal/review.csv")"
pdftotext -raw -enc UTF-8 "$B/print/notices-001.pdf" "$SCRATCH/cp932.txt" 2>/dev/null
for want in 髙橋 $'\uFA11山' 德永 栁田 葛󠄂野; do
    check "CP932 $want printed as written" grep -qF "$want" "$SCRATCH/cp932.txt"
done

# ---- a variation sequence no font has ------------------------------------------------------
check_exit "a night with a sequence no font has runs" 0 night nofont "$FIX/nofont" utf-8
B="$SCRATCH/nofont/$DATE"
check_eq "the letter is held" "NF01 " "$(ids "$B/internal/review.csv")"
check "the reason names the sequence's code points" grep -q 'U+8FBB U+E010A' "$B/internal/review.csv"
check_eq "no letter printed (never the base glyph)" 0 "$(tail -n +2 "$B/internal/notices.csv" | wc -l)"
done_testing
