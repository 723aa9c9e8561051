#!/usr/bin/env bash
# The inserter camera's marks: every page of a rendered batch carries a DataMatrix that a
# real decoder (dmtxread, from the pixels) reads as its own batch, file, sequence and page
# with a valid check, placed clear of the address window, the customer barcode and the
# folds; the control sheet describes it.
source "$(dirname "$0")/lib.sh"
DATE=2026-12-01
DPI=150
CFG="$ROOT/templates/municipalities/.e2e-marks-$$.xml"
sed 's/size="1000"/size="7"/' "$ROOT/templates/municipalities/demo.xml" > "$CFG"
trap 'rm -f "$CFG"; rm -rf "$SCRATCH"' EXIT
"$BIN" run --date "$DATE" --input "$ROOT/input/sample/residents.csv" --db "$SCRATCH/db" \
    --out "$SCRATCH/out" --config "$CFG" 2>"$SCRATCH/log"
check_eq "run exits 0" 0 "$?"
P="$SCRATCH/out/$DATE/print"
check "several print files" test "$(ls "$P"/notices-*.pdf | wc -l)" -gt 1

# Every page, decoded with its corners: "FILE PAGE-IN-FILE x,y:x,y:x,y:x,y:TEXT".
: > "$SCRATCH/decoded"
for pdf in "$P"/notices-*.pdf; do
    f=$(basename "$pdf" .pdf)
    pdftoppm -r "$DPI" -gray "$pdf" "$SCRATCH/$f" 2>/dev/null
    for png in "$SCRATCH/$f"-*.pgm; do
        n=${png##*-}; n=${n%.pgm}
        # The mark sits in the top right corner; scanning only there keeps this fast.
        # -R writes the corners to stderr, the text to stdout.
        out=$(dmtxread -N1 -R -x 70% -y 85% "$png" 2>"$SCRATCH/corners" | head -1)
        echo "$f $((10#$n)) $(head -1 "$SCRATCH/corners" | tr -d ' ')$out" >> "$SCRATCH/decoded"
    done
done
pages=$(for pdf in "$P"/notices-*.pdf; do pdfinfo "$pdf"; done | awk '/^Pages:/ {s += $2} END {print s}')
check_eq "one line per page" "$pages" "$(wc -l < "$SCRATCH/decoded")"

# What each page must say, from the batch's own record (internal/notices.csv: file, sequence),
# the check recomputed here as the README defines it.
check "every page's DataMatrix names its batch, file, sequence, page, pages and a valid check" \
    python3 - "$SCRATCH/decoded" "$SCRATCH/out/$DATE/internal/notices.csv" "$DATE" <<'PY'
import csv, sys, re
decoded, notices, batch = sys.argv[1:4]
seqs = {}
for row in csv.DictReader(open(notices, encoding="utf-8")):
    seqs.setdefault(int(row["file"][8:11]), []).append(int(row["sequence"]))
bad = 0
for line in open(decoded):
    parts = line.split()
    f, n = int(parts[0][8:]), int(parts[1])
    text = parts[-1].split(":")[-1] if len(parts) > 2 else ""  # after the corners
    want_seq = sorted(seqs[f])[(n - 1) // 2]
    want = "%s|%d|%06d|%d|2|" % (batch, f, want_seq, (n - 1) % 2 + 1)
    w = [1, 3, 7]
    check = sum(w[i % 3] * ord(c) for i, c in enumerate(want[:-1])) % 10
    if text != want + str(check):
        print("# file %d page %d: read %r, wanted %r" % (f, n, text, want + str(check)))
        bad += 1
sys.exit(1 if bad else 0)
PY

# Geometry, from where the decoder found the symbol: the corners (pixels, origin bottom
# left) in mm from the page's top left, against the window (templates/letter-front.xml:
# x 20-110, y 12-57), the customer barcode (its <barcode>: 67 bars of 1.2 mm, 3.6 mm
# high at 10 pt) and the Z-fold lines at y 99 and 198, all across the page.
bx=$(sed -n 's/.*<barcode x="\([0-9.]*\)" y="\([0-9.]*\)".*/\1/p' "$ROOT/templates/letter-front.xml")
by=$(sed -n 's/.*<barcode x="\([0-9.]*\)" y="\([0-9.]*\)".*/\2/p' "$ROOT/templates/letter-front.xml")
check "no DataMatrix overlaps the window, the customer barcode, a fold or the page edge" \
    python3 - "$SCRATCH/decoded" "$DPI" "$bx" "$by" <<'PY'
import re, sys
decoded, dpi, bx, by = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
H = 297.0
def overlaps(a, b):
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
window = (20, 12, 110, 57)
barcode = (bx, by, bx + 67 * 1.2, by + 3.6)
bad = 0
for line in open(decoded):
    pts = [(float(x), float(y)) for x, y in re.findall(r"([\d.]+),([\d.]+):", line)]
    if len(pts) != 4:
        print("# no corners:", line.strip()); bad += 1; continue
    xs = [x / dpi * 25.4 for x, _ in pts]
    ys = [H - y / dpi * 25.4 for _, y in pts]
    # The quiet zone (one module, under 0.6 mm) belongs to the symbol too.
    box = (min(xs) - 0.6, min(ys) - 0.6, max(xs) + 0.6, max(ys) + 0.6)
    for name, r in (("window", window), ("barcode", barcode),
                    ("fold 99", (0, 99, 210, 99)), ("fold 198", (0, 198, 210, 198))):
        if overlaps(box, r) or (r[1] == r[3] and box[1] <= r[1] <= box[3]):
            print("# %s overlaps the %s: %s" % (line.split()[:2], name, box)); bad += 1
    if box[0] < 4 or box[1] < 4 or box[2] > 206 or box[3] > 293:
        print("# in the unprintable edge:", box); bad += 1
    side = box[2] - box[0] - 1.2
    if not 8.5 <= side <= 10.5:
        print("# size %.2f mm, the control sheet says 10 mm with its quiet zone" % side); bad += 1
sys.exit(1 if bad else 0)
PY

# The human-readable mark stays, and the control sheet says what the camera reads and where.
check "the human-readable mark is still on every page" \
    bash -c "[ \$(pdftotext '$P/notices-001.pdf' - | grep -c 'No\.0000') -ge \$(pdfinfo '$P/notices-001.pdf' | awk '/^Pages:/ {print \$2}') ]"
pdftotext -layout "$P/control-sheet.pdf" "$SCRATCH/sheet.txt"
check "the control sheet gives the mark's content" grep -q 'BATCH|FILE|SEQUENCE|PAGE|PAGES|CHECK' "$SCRATCH/sheet.txt"
check "the control sheet gives its place and size on both sides" \
    bash -c "grep -q '表面: 用紙左上から右 188.0 mm・下 9.0 mm の位置に 10.0 mm 角' '$SCRATCH/sheet.txt' && grep -q '裏面: ' '$SCRATCH/sheet.txt'"
done_testing
