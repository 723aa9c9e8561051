#!/usr/bin/env bash
# Large print (issue 29): with <large-print age-from="75"/>, a resident aged 75 on the run
# date gets the front set in BIZ UDゴシック at 14 pt or more over two sides (the reservation
# ID and the dates larger), the 照会書兼回答書 unchanged on its own sheet and that sheet's blank
# back: four pages with their sheet marks, counted by the manifest. One born a day later
# (74 on the run date) gets the usual two pages. <fonts ud="true"> sets every letter in BIZ
# UD. The specimen shows the large-print front and every language's insert.
source "$(dirname "$0")/lib.sh"
DATE=2026-12-01
CITY="$(demo_city 's|</languages>|</languages>\n  <large-print age-from="75"/>|')"
IN="$SCRATCH/in"
mkdir -p "$IN"
# Two residents alike but for the birthday: 75 on the run date, and 75 only tomorrow.
python3 - "$ROOT/input/sample/residents.csv" "$IN/residents.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8")))
h = rows[0]
first = rows[1]
with open(sys.argv[2], "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f)
    w.writerow(h)
    for rid, birth in (("9000000075", "1951-12-01"), ("9000000074", "1951-12-02")):
        r = list(first)
        r[h.index("resident_id")] = rid
        r[h.index("birth_date")] = birth
        w.writerow(r)
PY
"$BIN" run --date "$DATE" --input "$IN" --db "$SCRATCH/db" --out "$SCRATCH/out" \
    --config "$CITY" 2>"$SCRATCH/log"
check_eq "run exits 0" 0 "$?"
B="$SCRATCH/out/$DATE"
PDF="$B/print/notices-001.pdf"
seq_of() { tr -d '\r' <"$B/internal/notices.csv" | awk -F, -v r="$1" '$1 == r {print $6}'; }
s75=$(seq_of 9000000075)
s74=$(seq_of 9000000074)
check "both letters printed" test -n "$s75" -a -n "$s74"
check_eq "six pages: four for the 75-year-old, two for the 74-year-old" 6 \
    "$(pdfinfo "$PDF" | awk '/^Pages:/ {print $2}')"
check "the manifest counts them" grep -q 'pages="6"' "$B/print/manifest.xml"
# The 75-year-old's pages come first or last, by sequence.
if [ "$s75" -lt "$s74" ]; then first75=1 first74=5; else first75=3 first74=1; fi
text() { pdftotext -layout -f "$1" -l "$1" "$PDF" - 2>/dev/null; }
p1="$(text "$first75")"
check "75: the large-print front" grep -qF "文字を大きくした版" <<<"$p1"
rid=$(awk -F, -v r=9000000075 '$1 == r {print $2}' "$B/internal/notices.csv")
check "75: its reservation ID" grep -qF "${rid:0:4}-${rid:4:4}-${rid:8:4}" <<<"$p1"
check "75: side 2 lists the offices" grep -qF "手続きできる窓口" <<<"$(text $((first75 + 1)))"
check "75: the 照会書兼回答書 on its own sheet, unchanged" \
    grep -qF "照会書兼回答書（兼委任状）" <<<"$(text $((first75 + 2)))"
check "75: its blank back" grep -qF "この面は白紙です" <<<"$(text $((first75 + 3)))"
check "74: the usual front" bash -c "! grep -qF '文字を大きくした版' <<<'$(text "$first74")'"
check "74: the usual back on its second page" grep -qF "照会書兼回答書（兼委任状）" <<<"$(text $((first74 + 1)))"
check "BIZ UDゴシック embedded (a subset)" bash -c "pdffonts '$PDF' | grep -q 'BIZUDGothic.*yes'"

# Sizes from the text's boxes: the body at 14 pt or more, the ID and the dates larger.
pdftotext -bbox -f "$first75" -l "$first75" "$PDF" "$SCRATCH/bbox.html" 2>/dev/null
check "75: body 14 pt or more, the ID and the expiry larger" python3 - "$SCRATCH/bbox.html" "$rid" <<'PY'
import re, sys
html = open(sys.argv[1], encoding="utf-8").read()
rid = sys.argv[2]
words = [(float(y0), float(y1), w) for y0, y1, w in
         re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)<', html)]
def height(pred):
    hs = [y1 - y0 for y0, y1, w in words if pred(w)]
    return max(hs) if hs else 0
body = height(lambda w: w.startswith("あなたのマイナンバーカード"))
ident = height(lambda w: w.replace("-", "") == rid)
expiry = height(lambda w: w.startswith("令和") and "（" in w or w.startswith("令和9年"))
print("# heights: body %.1f, ID %.1f, expiry %.1f" % (body, ident, expiry))
# A glyph box is the font size high (poppler: ascent to descent of the em).
sys.exit(0 if body >= 13.9 and ident > body * 1.5 and expiry > body * 1.2 else 1)
PY

# The marks of all four pages: pages 1-4 of 4.
mark="$(pdftoppm -r 150 -gray -f "$first75" -l $((first75 + 3)) "$PDF" "$SCRATCH/m" 2>/dev/null
    for g in "$SCRATCH"/m-*.pgm; do dmtxread -N1 -x 70% -y 85% "$g"; echo; done)"
check "75: DataMatrix pages 1-4 of 4" python3 - "$mark" "$DATE" "$s75" <<'PY'
import sys
got = [l for l in sys.argv[1].split("\n") if l]
want = []
for page in (1, 2, 3, 4):
    t = "%s|1|%06d|%d|4|" % (sys.argv[2], int(sys.argv[3]), page)
    w = [1, 3, 7]
    want.append(t + str(sum(w[i % 3] * ord(c) for i, c in enumerate(t[:-1])) % 10))
sys.exit(0 if got == want else print("# read", got, "wanted", want) or 1)
PY
pdftoppm -r 150 -png -f "$first75" -l "$first75" "$PDF" "$SCRATCH/q" 2>/dev/null
check_eq "75: the QR code decodes" "HTTP://127.0.0.1:8080/R/$rid" "$(zbarimg -q --raw "$SCRATCH"/q-*.png | head -1)"

# Without <large-print>, the same two residents get two pages each.
"$BIN" run --date "$DATE" --input "$IN" --db "$SCRATCH/db2" --out "$SCRATCH/out2" \
    --config "$CONFIG" 2>/dev/null
check_eq "without <large-print>: four pages" 4 \
    "$(pdfinfo "$SCRATCH/out2/$DATE/print/notices-001.pdf" | awk '/^Pages:/ {print $2}')"

# <fonts ud="true">: every letter in BIZ UD, IPAex nowhere.
UD="$(demo_city 's|<fonts |<fonts ud="true" |')"
"$BIN" run --date "$DATE" --input "$IN" --db "$SCRATCH/db3" --out "$SCRATCH/out3" \
    --config "$UD" 2>/dev/null
check_eq "<fonts ud>: run exits 0" 0 "$?"
fonts="$(pdffonts "$SCRATCH/out3/$DATE/print/notices-001.pdf")"
check "<fonts ud>: BIZ UDゴシック and BIZ UD明朝" bash -c "grep -q BIZUDGothic <<<'$fonts' && grep -q BIZUDMincho <<<'$fonts'"
check "<fonts ud>: no IPAex" bash -c "! grep -q IPAex <<<'$fonts'"

# The specimen: every offered language's insert, then the large-print front.
"$BIN" specimen --config "$CONFIG" --out "$SCRATCH/spec.pdf" 2>"$SCRATCH/spec.log"
check_eq "specimen exits 0" 0 "$?"
check_eq "specimen: 7 variants (14 pages), 6 inserts (24), large print (4), 6 reminders (12)" 54 \
    "$(pdfinfo "$SCRATCH/spec.pdf" | awk '/^Pages:/ {print $2}')"
check "specimen: the Korean insert" grep -qF "마이넘버카드" <<<"$(pdftotext -f 15 -l 42 "$SCRATCH/spec.pdf" -)"
check "specimen: the large-print front" grep -qF "文字を大きくした版" <<<"$(pdftotext -f 39 -l 39 "$SCRATCH/spec.pdf" -)"
check "specimen: the reminders after it" grep -qF "【再通知】" <<<"$(pdftotext -f 43 -l 43 "$SCRATCH/spec.pdf" -)"

done_testing
