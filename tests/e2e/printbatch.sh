#!/usr/bin/env bash
# The print vendor's batch: more than two print files, in postal order, with a manifest
# that validates and agrees with the PDFs, checksums that verify, page marks for the
# inserter and a control sheet.
source "$(dirname "$0")/lib.sh"
DATE=2026-12-01
sed 's/size="1000"/size="6"/' "$ROOT/templates/municipalities/demo.xml" > "$ROOT/templates/municipalities/.e2e-small-$$.xml"
CFG="$ROOT/templates/municipalities/.e2e-small-$$.xml"
trap 'rm -f "$CFG"; rm -rf "$SCRATCH"' EXIT
"$BIN" run --date "$DATE" --input "$ROOT/input/sample/residents.csv" --db "$SCRATCH/db" \
    --out "$SCRATCH/out" --config "$CFG" 2>"$SCRATCH/log"
check_eq "run exits 0" 0 "$?"
P="$SCRATCH/out/$DATE/print"
nfiles=$(ls "$P"/notices-*.pdf | wc -l)
check "more than two print files" test "$nfiles" -gt 2
check "sha256sum -c passes on SHA256SUMS" bash -c "cd '$P' && sha256sum --quiet -c SHA256SUMS"
check "SHA256SUMS covers every PDF and both manifests" bash -c \
    "cd '$P' && for f in notices-*.pdf control-sheet.pdf manifest.xml manifest.csv; do grep -q \"  \$f\$\" SHA256SUMS || exit 1; done"
check "manifest.xml validates against templates/manifest.xsd" \
    xmllint --noout --schema "$ROOT/templates/manifest.xsd" "$P/manifest.xml"

# manifest.csv against the PDFs themselves.
ok_pages=1 ok_sha=1 ok_size=1
while IFS=, read -r name letters pages first last fpost lpost sha; do
    [ "$name" = file ] && continue
    real=$(pdfinfo "$P/$name" | awk '/^Pages:/ {print $2}')
    [ "$real" = "$pages" ] || { ok_pages=0; echo "# $name: manifest $pages pages, pdfinfo $real"; }
    [ "$(sha256sum "$P/$name" | cut -d' ' -f1)" = "$sha" ] || ok_sha=0
    [ "$letters" -le 6 ] || ok_size=0
done < <(tr -d '\r' < "$P/manifest.csv")
check_eq "manifest page counts equal pdfinfo's" 1 "$ok_pages"
check_eq "manifest SHA-256 equal the files'" 1 "$ok_sha"
check_eq "no file holds more letters than the configured size" 1 "$ok_size"
total=$(tr -d '\r' < "$P/manifest.csv" | awk -F, 'NR>1 {s+=$2} END {print s}')
check_eq "manifest total equals notices.csv" "$(($(wc -l < "$SCRATCH/out/$DATE/internal/notices.csv") - 1))" "$total"

# Postal order across the whole batch: sequence order = (postal code, address) order.
tr -d '\r' < "$ROOT/input/sample/residents.csv" | awk -F, 'NR>1 {gsub("-","",$5); print $1","$5}' | sort > "$SCRATCH/postal"
tr -d '\r' < "$SCRATCH/out/$DATE/internal/notices.csv" | awk -F, 'NR>1 {print $6","$1}' | sort -n |
    cut -d, -f2 > "$SCRATCH/seq-residents"
postals=$(while read -r id; do grep "^$id," "$SCRATCH/postal" | cut -d, -f2; done < "$SCRATCH/seq-residents")
check "letters are in postal-code order across files" bash -c "[ \"\$(echo '$postals' | sort -c 2>&1)\" = '' ]"
check "sequence numbers run 1..n without gaps" bash -c \
    "tr -d '\r' < '$SCRATCH/out/$DATE/internal/notices.csv' | awk -F, 'NR>1 {print \$6}' | sort -n | awk '{ if (\$1 != NR) exit 1 }'"
check "manifest sequences are contiguous across files" bash -c \
    "tr -d '\r' < '$P/manifest.csv' | awk -F, 'NR>1 { if (\$4 != prev + 1) exit 1; prev = \$5 }'"
check "postal districts counted" grep -q '<district code="486"' "$P/manifest.xml"

# Page marks for the inserter: the 7th letter opens file 2 with its sequence number.
pdftotext -layout -f 1 -l 2 "$P/notices-002.pdf" "$SCRATCH/f2.txt"
check "file 2 page 1 carries sequence 7, page 1/2 and file 2" grep -q "No.000007 *1/2 *F002" "$SCRATCH/f2.txt"
check "file 2 page 2 carries sequence 7, page 2/2 and file 2" grep -q "No.000007 *2/2 *F002" "$SCRATCH/f2.txt"

# The control sheet.
check "control sheet passes qpdf --check" qpdf --check "$P/control-sheet.pdf"
pdftotext "$P/control-sheet.pdf" "$SCRATCH/cs.txt"
check "control sheet lists every print file" bash -c \
    "for f in \$(ls '$P' | grep notices-); do grep -q \"\$f\" '$SCRATCH/cs.txt' || exit 1; done"
check "control sheet names the municipality" grep -q "見本市" "$SCRATCH/cs.txt"
check "nothing else in print/" bash -c \
    "[ \"\$(ls '$P' | grep -v -E '^(notices-[0-9]{3}\.pdf|manifest\.(xml|csv)|SHA256SUMS|control-sheet\.pdf)$')\" = '' ]"
done_testing
