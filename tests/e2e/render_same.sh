#!/usr/bin/env bash
# The letters look, read and scan as they did before the faster PDF writer (#30: layers laid
# out once per run and shared per file, resources inherited from the page tree, other
# compression). The sample night, with identical.sh's fixed random stream (the same
# reservation IDs every run):
# - rendered by pdftoppm (72 dpi, one bit a pixel) it is the same drawing, page for page,
#   pixel by pixel within anti-aliasing (helpers/pixels.py), as the reference made by the
#   writer before #30 (tests/fixtures/render/sample-night.pbm.xz: the 36 pages, xz), but
#   for the QR code and DataMatrix (their boxes read from the templates): their modules are
#   now one image mask each, not rectangles, which poppler places up to a pixel or two
#   apart at these resolutions (the same at 300 dpi); they are tested by decoding;
# - pdftotext gives the same text (reading order); its raw mode (content-stream order, which
#   the layers change) the same lines;
# - every QR code decodes from the pixels (zbarimg) to its letter's booking URL, and every
#   page's DataMatrix (dmtxread) to its sheet mark;
# - qpdf --check passes, and a Ghostscript RIP renders a file of 1,000 letters (2,000 pages)
#   without an error.
# A change that moves the drawing ON PURPOSE: look at the pages (pdftoppm -r 100 -png), then
#     RENDER_UPDATE=1 bash tests/e2e/render_same.sh
# writes the new reference, and update the text checksums below from its output.
source "$(dirname "$0")/lib.sh"
DATE=2026-12-01
SHIM="$ROOT/build/asan/tests/fixed_random.so"
REF="$FIXTURES/render/sample-night.pbm.xz"
W="$SCRATCH/w"; mkdir -p "$W"
# The text of the sample night's print file before #30 (default mode; raw mode's lines sorted).
TEXT_SHA=3af759b1dc0d8c5901bb6e8acf37d13da177eec0460c2bb7f38a1c99ceb9ab3e
RAW_LINES_SHA=8c25d49b598031e544cba744b44b929aa58c924922f4e00fc9de636ace7265ca

fixed() {
    LD_PRELOAD="$SHIM" ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0" \
        CERTNOTICE_FIXED_RANDOM=28 "$BIN" "$@"
}
check "the fixed-random shim is built (make asan)" test -f "$SHIM"
check_exit "postal import (the demo's KEN_ALL rows)" 0 \
    fixed postal import --db "$W/cn.db" "$ROOT/input/postal/ken_all-kasugai.csv"
check_exit "the sample night" 0 fixed run --date "$DATE" --input "$ROOT/input/sample" \
    --db "$W/cn.db" --out "$W/out" --config "$CONFIG"
B="$W/out/$DATE"
PDF="$B/print/notices-001.pdf"

# ---- pixels
mkdir -p "$W/px"
pdftoppm -r 72 -mono "$PDF" "$W/px/p" 2>/dev/null
if [ -n "${RENDER_UPDATE:-}" ]; then
    cat "$W"/px/p-*.pbm | xz -9 >"$REF"
    echo "# reference renewed: $REF"
    echo "# TEXT_SHA=$(pdftotext "$PDF" - 2>/dev/null | sha256sum | cut -d' ' -f1)"
    echo "# RAW_LINES_SHA=$(pdftotext -raw "$PDF" - 2>/dev/null | LC_ALL=C sort | sha256sum | cut -d' ' -f1)"
fi
check_eq "36 pages rendered" 36 "$(ls "$W"/px/p-*.pbm | wc -l)"
# The symbols' boxes, from the templates: front pages are the odd ones, backs the even.
EXCEPT=()
for side in odd:letter-front even:letter-back; do
    while read -r box; do EXCEPT+=(--except "${side%%:*}:$box"); done < <(python3 - \
        "$ROOT/templates/${side#*:}.xml" <<'EOF'
import sys, xml.etree.ElementTree as ET
for el in ET.parse(sys.argv[1]).iter():
    if el.tag in ("qr", "datamatrix"):
        x, y, w = (float(el.get(k)) for k in ("x", "y", "w"))
        print(f"{x},{y},{w},{w}")
EOF
    )
done
check_eq "the templates' symbols found (QR and DataMatrix front, DataMatrix back)" 6 "${#EXCEPT[@]}"
check "every page the same drawing as before, within anti-aliasing" \
    python3 "$ROOT/tests/e2e/helpers/pixels.py" "${EXCEPT[@]}" "$REF" "$W"/px/p-*.pbm
# The comparison can fail: a page with a mark more, and a page with a module less.
python3 - "$W/px/p-01.pbm" "$W/moved.pbm" <<'EOF'
import sys
d = bytearray(open(sys.argv[1], "rb").read())
pixels = len(d) - 75 * 842
for y in range(400, 406):            # a 16 x 6 pixel block of black in the page's middle
    for b in range(36, 38):
        d[pixels + y * 75 + b] = 0xFF
open(sys.argv[2], "wb").write(d)
EOF
check_exit "a page with a mark more is told apart" 1 \
    python3 "$ROOT/tests/e2e/helpers/pixels.py" "${EXCEPT[@]}" "$REF" "$W/moved.pbm" \
    "$W"/px/p-0[2-9].pbm "$W"/px/p-[1-3]?.pbm

# ---- text
check_eq "pdftotext: the same text" "$TEXT_SHA" \
    "$(pdftotext "$PDF" - 2>/dev/null | sha256sum | cut -d' ' -f1)"
check_eq "pdftotext -raw: the same lines" "$RAW_LINES_SHA" \
    "$(pdftotext -raw "$PDF" - 2>/dev/null | LC_ALL=C sort | sha256sum | cut -d' ' -f1)"

# ---- codes, from the pixels
mkdir -p "$W/codes"
pdftoppm -r 150 -gray "$PDF" "$W/codes/p" 2>/dev/null
qr_bad=0 dm_bad=0 qr_n=0
while IFS=, read -r _ rid _ variant _ seq; do
    seq=$((10#$seq))
    for side in 1 2; do
        page=$((2 * seq - 2 + side))
        img=$(printf '%s/codes/p-%02d.pgm' "$W" "$page")
        mark=$(dmtxread -N1 -x 70% -y 85% "$img" 2>/dev/null | head -1)
        case "$mark" in "$DATE|1|$(printf '%06d' "$seq")|$side|2|"?) ;; *) dm_bad=$((dm_bad + 1))
            echo "# page $page: DataMatrix read \"$mark\"" ;; esac
    done
    # Policy N (walk-in: the variant's second part) prints no QR code.
    case "$variant" in *-N | *-N-*) continue ;; esac
    qr_n=$((qr_n + 1))
    url=$(zbarimg -q --raw "$(printf '%s/codes/p-%02d.pgm' "$W" $((2 * seq - 1)))" 2>/dev/null | head -1)
    case "$url" in *"/R/$rid") ;; *) qr_bad=$((qr_bad + 1)); echo "# letter $seq: QR read \"$url\"" ;; esac
done < <(tr -d '\r' <"$B/internal/notices.csv" | awk -F, 'NR > 1 && $5 == "notices-001.pdf"')
check "the sample night has letters with QR codes" test "$qr_n" -gt 5
check_eq "every QR code decodes to its letter's booking URL" 0 "$qr_bad"
check_eq "every page's DataMatrix decodes to its sheet mark" 0 "$dm_bad"

# ---- PDF checkers and a RIP
check "qpdf --check" qpdf --check "$PDF"
python3 "$ROOT/scripts/gen-residents.py" --count 1250 --date "$DATE" --seed 30 --no-cases \
    --due-share 0.95 >"$W/big.csv"
check_exit "a night of a thousand letters and more" 0 "$BIN" run --date "$DATE" \
    --input "$W/big.csv" --db "$W/big.db" --out "$W/big" --config "$CONFIG"
BIG="$W/big/$DATE/print/notices-001.pdf"
check_eq "its first file has 2,000 pages" 2000 "$(pdfinfo "$BIG" 2>/dev/null | awk '/^Pages:/ {print $2}')"
check "qpdf --check on the 2,000-page file" qpdf --check "$BIG"
# gs -q says nothing unless something is wrong, and exits 0 unless it gave up.
check "Ghostscript renders the 2,000 pages without an error or a warning" bash -c \
    "out=\$(gs -q -dNOPAUSE -dBATCH -dSAFER -sDEVICE=pbmraw -r36 -sOutputFile=/dev/null '$BIG' 2>&1) &&
     [ -z \"\$out\" ] || { echo \"\$out\"; false; }"
done_testing
