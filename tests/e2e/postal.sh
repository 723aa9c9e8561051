#!/usr/bin/env bash
# postal: Japan Post's dictionary imported from the published files (CP932 zip and UTF-8
# zip give the same answers), refused whole when a file is bad (the old one stays), and the
# barcode read after the dictionary's town name: the manual's examples, a corpus of real
# towns with no wrong barcode, postcode mismatches flagged, JIGYOSYO codes all CC4.
source "$(dirname "$0")/lib.sh"
# Japan Post's files as published: the repository's own (tests/fixtures/postal, see its
# README), or newer ones of the same names in CERTNOTICE_POSTAL_DIR. The date, row counts
# and SHA-256 are pinned for the repository's files; newer ones are checked against their
# own SHA-256.
POSTAL="${CERTNOTICE_POSTAL_DIR:-$FIXTURES/postal}"
KEN_DATE=2026-05-26 KEN_ROWS=124825 KEN_SHA=636d223d5038d2333def34502352872368e3bbd88b19e8fe62ef2b0805f0192b
JIG_DATE=2026-05-26 JIG_ROWS=22416 JIG_SHA=be3a3e10caff39b7f572380e5349439fbd7acfd07df3398888f68b0e43962d19
if [ -n "${CERTNOTICE_POSTAL_DIR:-}" ]; then
    KEN_DATE='[0-9-]*' KEN_ROWS='[0-9]*' KEN_SHA=$(sha256sum "$POSTAL/ken_all.zip" | cut -d' ' -f1)
    JIG_DATE='[0-9-]*' JIG_ROWS='[0-9]*' JIG_SHA=$(sha256sum "$POSTAL/jigyosyo.zip" | cut -d' ' -f1)
else
    check "the repository's files are Japan Post's as published (SHA256SUMS)" \
        sh -c 'cd "$1" && sha256sum -c --quiet SHA256SUMS' sh "$POSTAL"
fi
DB="$SCRATCH/cn.db"

check_exit "custbar without a dictionary: rules only" 0 "$BIN" custbar 263-0023 '千葉市稲毛区緑町3丁目30-8'
check "import ken_all.zip + jigyosyo.zip" "$BIN" postal import --db "$DB" "$POSTAL/ken_all.zip" "$POSTAL/jigyosyo.zip"
"$BIN" postal info --db "$DB" >"$SCRATCH/info" 2>&1
check "info names KEN_ALL's date and SHA-256" \
    grep -q "^KEN_ALL	$KEN_DATE	.*ken_all.zip	$KEN_SHA	$KEN_ROWS rows" "$SCRATCH/info"
check "info names JIGYOSYO's date and SHA-256" \
    grep -q "^JIGYOSYO	$JIG_DATE	.*$JIG_SHA	$JIG_ROWS rows" "$SCRATCH/info"
check_eq "database file is 0600" "600" "$(stat -c %a "$DB")"

# The dictionary's age, counted to --date: past 90 days info warns, as the night's log does.
fresh=$(date -d "$KEN_DATE + 90 days" +%F) stale=$(date -d "$KEN_DATE + 91 days" +%F)
check_eq "info on day 90: the age, no warning" "age	90 days" \
    "$("$BIN" postal info --db "$DB" --date "$fresh" | grep -E '^(age|warning)')"
check_eq "info on day 91: the age and a warning to import the latest files" \
    "age	91 days
warning	older than 90 days: import Japan Post's latest files" \
    "$("$BIN" postal info --db "$DB" --date "$stale" | grep -E '^(age|warning)')"
check_exit "info --date that is no date: usage error" 2 "$BIN" postal info --db "$DB" --date 2026-13-01

# The manual's p25 table (https://www.post.japanpost.jp/zipcode/zipmanual/p25.html), its 16
# rows as printed there, checked against two transcriptions that cite it (see
# tests/unit/test_postal.c), with the dictionary.
while IFS='|' read -r pc addr want; do
    check_eq "p25: $addr" "$want" "$("$BIN" custbar --db "$DB" "$pc" "$addr" 2>"$SCRATCH/err" || cat "$SCRATCH/err")"
done <<'EOF2'
263-0023|千葉市稲毛区緑町3丁目30-8　郵便ビル403号|2 6 3 0 0 2 3 3 - 3 0 - 8 - 4 0 3 CC4 CC4 CC4 5
014-0113|秋田県大仙市堀見内　南田茂木　添60-1|0 1 4 0 1 1 3 6 0 - 1 CC4 CC4 CC4 CC4 CC4 CC4 CC4 CC4 CC4 CC8
110-0016|東京都台東区台東5-6-3　ABCビル10F|1 1 0 0 0 1 6 5 - 6 - 3 - 1 0 CC4 CC4 CC4 CC4 CC4 9
060-0906|北海道札幌市東区北六条東4丁目　郵便センター6号館|0 6 0 0 9 0 6 4 - 6 CC4 CC4 CC4 CC4 CC4 CC4 CC4 CC4 CC4 CC4 9
065-0006|北海道札幌市東区北六条東8丁目　郵便センター10号館|0 6 5 0 0 0 6 8 - 1 0 CC4 CC4 CC4 CC4 CC4 CC4 CC4 CC4 CC4 9
407-0033|山梨県韮崎市龍岡町下條南割　韮崎400|4 0 7 0 0 3 3 4 0 0 CC4 CC4 CC4 CC4 CC4 CC4 CC4 CC4 CC4 CC4 -
273-0102|千葉県鎌ケ谷市右京塚　東3丁目-20-5　郵便・A&bコーポB604号|2 7 3 0 1 0 2 3 - 2 0 - 5 CC1 1 6 0 4 CC4 CC4 0
198-0036|東京都青梅市河辺町十一丁目六番地一号　郵便タワー601|1 9 8 0 0 3 6 1 1 - 6 - 1 - 6 0 1 CC4 CC4 CC4 CC8
027-0203|岩手県宮古市大字津軽石第二十一地割大淵川480|0 2 7 0 2 0 3 2 1 - 4 8 0 CC4 CC4 CC4 CC4 CC4 CC4 CC4 CC5
590-0016|大阪府堺市堺区中田出井町四丁六番十九号|5 9 0 0 0 1 6 4 - 6 - 1 9 CC4 CC4 CC4 CC4 CC4 CC4 CC4 CC2
080-0831|北海道帯広市稲田町南七線　西28|0 8 0 0 8 3 1 7 - 2 8 CC4 CC4 CC4 CC4 CC4 CC4 CC4 CC4 CC4 CC7
317-0055|茨城県日立市宮田町6丁目7-14　ABCビル2F|3 1 7 0 0 5 5 6 - 7 - 1 4 - 2 CC4 CC4 CC4 CC4 CC4 CC1
650-0046|神戸市中央区港島中町9丁目7-6　郵便シティA棟1F1号|6 5 0 0 0 4 6 9 - 7 - 6 CC1 0 1 - 1 CC4 CC4 CC4 5
623-0011|京都府綾部市青野町綾部6-7　LプラザB106|6 2 3 0 0 1 1 6 - 7 CC2 1 CC1 1 1 0 6 CC4 CC4 CC4 4
064-0804|札幌市中央区南四条西29丁目1524-23　第2郵便ハウス501|0 6 4 0 8 0 4 2 9 - 1 5 2 4 - 2 3 - 2 - 3
910-0067|福井県福井市新田塚3丁目80-25　J1ビル2-B|9 1 0 0 0 6 7 3 - 8 0 - 2 5 CC1 9 1 - 2 CC1 9
EOF2

# JIGYOSYO: the postcode alone, 13 x CC4 (日本郵便株式会社 100-8792, manual p22)
check_eq "JIGYOSYO individual code: all CC4" \
    "1 0 0 8 7 9 2 CC4 CC4 CC4 CC4 CC4 CC4 CC4 CC4 CC4 CC4 CC4 CC4 CC4 0" \
    "$("$BIN" custbar --db "$DB" 100-8792 '東京都千代田区大手町二丁目3番1号' 2>/dev/null)"

# JIGYOSYO's offices are checked against their town: ＮＨＫ札幌拠点放送局 is 060-8703 at
# 札幌市中央区北一条西; a resident of 南一条西 who wrote 060-8703 has a typo, which an all-CC4
# barcode would send to the broadcaster.
check_eq "JIGYOSYO code at its office's address: all CC4" \
    "0 6 0 8 7 0 3 CC4 CC4 CC4 CC4 CC4 CC4 CC4 CC4 CC4 CC4 CC4 CC4 CC4 3" \
    "$("$BIN" custbar --db "$DB" 060-8703 '北海道札幌市中央区北一条西9丁目1-5' 2>/dev/null)"
check_exit "JIGYOSYO code elsewhere: no barcode" 1 \
    "$BIN" custbar --db "$DB" 060-8703 '北海道札幌市中央区南一条西5丁目7-1'
cp "$SCRATCH/.last" "$SCRATCH/out"
check "and the town's own postcode is suggested" grep -q "suggests 0600061" "$SCRATCH/out"
# A dictionary imported before the offices' addresses were kept: said, and not checked.
cp "$DB" "$SCRATCH/old.db"
sqlite3 "$SCRATCH/old.db" "UPDATE postal_offices SET pref = '', city = '', town = ''"
check_eq "an older import's office codes: postcode alone, unchecked" \
    "0 6 0 8 7 0 3 CC4 CC4 CC4 CC4 CC4 CC4 CC4 CC4 CC4 CC4 CC4 CC4 CC4 3" \
    "$("$BIN" custbar --db "$SCRATCH/old.db" 060-8703 '北海道札幌市中央区南一条西5丁目7-1' 2>"$SCRATCH/err")"
check "  and the log says to import again" grep -q "22[0-9]* individual postcodes were imported without their offices' addresses" "$SCRATCH/err"
# 私書箱 包括番号 (p22's 980-8691, box 215): in neither file; the box number follows it.
check_eq "包括番号 with its box number" \
    "9 8 0 8 6 9 1 2 1 5 CC4 CC4 CC4 CC4 CC4 CC4 CC4 CC4 CC4 CC4 1" \
    "$("$BIN" custbar --db "$DB" 980-8691 '宮城県仙台市青葉区一番町1丁目3-3 仙台中央郵便局私書箱215号' 2>/dev/null)"
check_exit "包括番号 without a box: no barcode" 1 \
    "$BIN" custbar --db "$DB" 980-8691 '宮城県仙台市青葉区一番町1丁目3-3'
# Postcodes over two municipalities (KEN_ALL has 134): each one's towns are under it.
for a in '熊本県熊本市西区池田1丁目2-3' '熊本県熊本市北区池田1丁目2-3'; do
    check_eq "860-0082 spans 熊本市西区 and 北区: $a" \
        "8 6 0 0 0 8 2 1 - 2 - 3 CC4 CC4 CC4 CC4 CC4 CC4 CC4 CC4 9" \
        "$("$BIN" custbar --db "$DB" 860-0082 "$a" 2>/dev/null)"
done
for a in '新潟県新潟市東区紫竹山1丁目2-3' '新潟県新潟市中央区紫竹山1丁目2-3'; do
    check_eq "950-0914 spans 新潟市東区 and 中央区: $a" \
        "9 5 0 0 9 1 4 1 - 2 - 3 CC4 CC4 CC4 CC4 CC4 CC4 CC4 CC4 5" \
        "$("$BIN" custbar --db "$DB" 950-0914 "$a" 2>/dev/null)"
done
for a in '三重県桑名郡木曽岬町大字見本1番地' '愛知県弥富市見本町1番地'; do
    check_exit "498-0000 (木曽岬町, 弥富市) is both's representative code: $a" 1 \
        "$BIN" custbar --db "$DB" 498-0000 "$a"
    cp "$SCRATCH/.last" "$SCRATCH/out"
    check "  named as such, not a mismatch" grep -q "以下に掲載がない場合" "$SCRATCH/out"
done

# Mismatch: the town is under another postcode: no barcode, the right one named.
check_exit "mismatch: exit 1" 1 "$BIN" custbar --db "$DB" 065-0006 '北海道札幌市東区北六条東4丁目 郵便センター6号館'
cp "$SCRATCH/.last" "$SCRATCH/out"
check "mismatch names the suggested postcode" grep -q "suggests 0600906" "$SCRATCH/out"
check_exit "以下に掲載がない場合 code: no barcode" 1 "$BIN" custbar --db "$DB" 060-0000 '北海道札幌市中央区'
cp "$SCRATCH/.last" "$SCRATCH/out"
check "representative code named" grep -q "以下に掲載がない場合" "$SCRATCH/out"

# The corpus: real towns, numbers in kanji and digits, buildings.
python3 "$ROOT/tests/e2e/helpers/postal_corpus.py" "$POSTAL/utf_ken_all.zip" 2400 15 >"$SCRATCH/corpus.tsv"
cut -f1-3 "$SCRATCH/corpus.tsv" | "$BIN" custbar --db "$DB" - >"$SCRATCH/got" 2>"$SCRATCH/err"
read -r total wrong none < <(paste "$SCRATCH/corpus.tsv" "$SCRATCH/got" |
    awk -F'\t' '{n++; if ($5 == "-") none++; else if ($5 != $4) wrong++} END {print n, wrong+0, none+0}')
check_eq "corpus: 2400 addresses" "2400" "$total"
check_eq "corpus: no wrong barcode" "0" "$wrong"
check "corpus: at least 99.5% barcoded ($none without)" test "$((none * 1000))" -le "$((total * 5))"
paste "$SCRATCH/corpus.tsv" "$SCRATCH/got" | awk -F'\t' '$5 != "-" && $5 != $4' | head -5 | sed 's/^/# /'

# The UTF-8 file (U+301C, U+2212, joined records) gives the same dictionary's answers.
check "import utf_ken_all.zip alone" "$BIN" postal import --db "$SCRATCH/utf.db" "$POSTAL/utf_ken_all.zip"
cut -f1-3 "$SCRATCH/corpus.tsv" | "$BIN" custbar --db "$SCRATCH/utf.db" - >"$SCRATCH/got-utf" 2>/dev/null
check "UTF-8 and CP932 dictionaries agree on the corpus" cmp -s "$SCRATCH/got" "$SCRATCH/got-utf"

# Bad files: refused with the file named; the dictionary there was stays.
before="$("$BIN" postal info --db "$DB")"
head -c 1000000 "$POSTAL/ken_all.zip" >"$SCRATCH/truncated.zip"
check_exit "truncated zip refused" 3 "$BIN" postal import --db "$DB" "$SCRATCH/truncated.zip"
cp "$SCRATCH/.last" "$SCRATCH/out"
check "truncated: says so" grep -q "truncated.zip.*truncated" "$SCRATCH/out"
unzip -p "$POSTAL/ken_all.zip" | iconv -f CP932 -t UTF-16 >"$SCRATCH/utf16.csv"
check_exit "UTF-16 refused" 3 "$BIN" postal import --db "$DB" "$SCRATCH/utf16.csv"
unzip -p "$POSTAL/ken_all.zip" | iconv -f CP932 -t EUC-JP >"$SCRATCH/eucjp.csv" 2>/dev/null
check_exit "EUC-JP refused" 3 "$BIN" postal import --db "$DB" "$SCRATCH/eucjp.csv"
cp "$SCRATCH/.last" "$SCRATCH/out"
check "EUC-JP: names the file and line" grep -q "eucjp.csv:[0-9]*:" "$SCRATCH/out"
unzip -p "$POSTAL/ken_all.zip" | cut -d, -f1-14 >"$SCRATCH/cols.csv"
check_exit "missing column refused" 3 "$BIN" postal import --db "$DB" "$SCRATCH/cols.csv"
cp "$SCRATCH/.last" "$SCRATCH/out"
check "missing column: line 1 named" grep -q "cols.csv:1: 14 fields, KEN_ALL has 15" "$SCRATCH/out"
check_exit "JIGYOSYO given as KEN_ALL refused" 3 "$BIN" postal import --db "$DB" "$POSTAL/jigyosyo.zip"
check_exit "a bad JIGYOSYO refuses the pair" 3 "$BIN" postal import --db "$DB" "$POSTAL/ken_all.zip" "$SCRATCH/truncated.zip"
check_eq "after every refusal the old dictionary stays" "$before" "$("$BIN" postal info --db "$DB")"
check_eq "and still answers" "2 6 3 0 0 2 3 3 - 3 0 - 8 - 4 0 3 CC4 CC4 CC4 5" \
    "$("$BIN" custbar --db "$DB" 263-0023 '千葉県千葉市稲毛区緑町3丁目30-8 郵便ビル403号' 2>/dev/null)"


# The night with the dictionary: the demo's sample lives in real towns (春日井市, whose
# KEN_ALL rows are committed in input/postal/). Mismatches go to review with the right
# postcode; the bars are drawn to the manual's geometry and carry the dictionary's symbols.
NIGHT="$SCRATCH/night"
mkdir -p "$NIGHT"
cp "$ROOT/input/postal/ken_all-kasugai.csv" "$NIGHT/KEN_ALL.CSV"
# the sample, with one due resident's postcode mistyped: another town's
mkdir -p "$NIGHT/in"
awk -F, 'BEGIN {OFS = ","} $1 == "0000000002" {$5 = "486-0816"} {print}' \
    "$ROOT/input/sample/residents.csv" >"$NIGHT/in/residents.csv"
right=$(awk -F, '$1 == "0000000002" {print $5}' "$ROOT/input/sample/residents.csv")
touch -d 2026-05-26 "$NIGHT/KEN_ALL.CSV"
"$BIN" run --date 2026-12-01 --input "$NIGHT/in" --db "$NIGHT/plain.db" \
    --out "$NIGHT/plain" --config "$CONFIG" 2>"$NIGHT/plain.log"
check_eq "without a dictionary the run says so, once" "1" "$(grep -c 'no postcode dictionary' "$NIGHT/plain.log")"
check "report.json: no dictionary" grep -q '"postcode_dictionary": null' "$NIGHT/plain/2026-12-01/internal/report.json"
check "import the subset (CP932 CSV)" "$BIN" postal import --db "$NIGHT/cn.db" "$NIGHT/KEN_ALL.CSV"
"$BIN" run --date 2026-12-01 --input "$NIGHT/in" --db "$NIGHT/cn.db" --out "$NIGHT/out" \
    --config "$CONFIG" 2>"$NIGHT/run.log"
B="$NIGHT/out/2026-12-01"
check "the log names the dictionary and its date" grep -q 'postcode dictionary: KEN_ALL of 2026-05-26' "$NIGHT/run.log"
check "a dictionary 189 days old is warned about" grep -q 'level=warn stage=postal.*189 days old' "$NIGHT/run.log"
check "report.json names it" grep -q '"postcode_dictionary": {"ken_all_date": "2026-05-26".*"age_days": 189, "stale": true' "$B/internal/report.json"
check "review.csv: the mismatch held, the right postcode named" \
    grep -q "it suggests $right,${right/-/},held" "$B/internal/review.csv"
check "report.json counts it" grep -q '"postcode_mismatch": 1' "$B/internal/report.json"
P="$B/print/notices-001.pdf"
qpdf --qdf --object-streams=disable "$P" "$NIGHT/q.pdf"
mkdir -p "$NIGHT/pgm"
pdftoppm -gray -r 150 "$P" "$NIGHT/pgm/page" 2>/dev/null
python3 "$ROOT/tests/e2e/helpers/barmeasure.py" "$NIGHT/q.pdf" "$NIGHT/pgm" 150 >"$NIGHT/bars" 2>&1
check "bars: long 3.4-3.6, timing 1.05-1.35 (3:1), semi-long 2.4, width 0.5-0.7, space 0.45-0.6 mm, 2 mm clear" \
    test "$(grep -c FAIL "$NIGHT/bars")" = 0
grep FAIL "$NIGHT/bars" | head -3 | sed 's/^/# /'
# every barcode in the PDF is the dictionary's for a resident of the sample
tr -d '\r' <"$NIGHT/in/residents.csv" | awk -F, 'NR > 1 {print $5 "\t" $6 "\t" $7}' |
    "$BIN" custbar --db "$NIGHT/cn.db" - 2>/dev/null | sort -u >"$NIGHT/want"
cut -d' ' -f2- "$NIGHT/bars" | grep -v FAIL | sort -u >"$NIGHT/got"
letters=$(grep -o '"letters": [0-9]*' "$B/internal/report.json" | grep -o '[0-9]*$' | tail -1)
no_bar=$(grep -o '"no_barcode": [0-9]*' "$B/internal/report.json" | grep -o '[0-9]*$')
check_eq "one barcode per printed letter with one" "$((letters - no_bar))" "$(grep -vc FAIL "$NIGHT/bars")"
check "each barcode decoded from the PDF is the dictionary's symbols" \
    test -z "$(comm -23 "$NIGHT/got" "$NIGHT/want")"
# postcode-mismatch="print": the letter goes out, without a barcode
cp -r "$(dirname "$(dirname "$CONFIG")")" "$NIGHT/tpl"
PRINTCFG="$NIGHT/tpl/municipalities/$(basename "$CONFIG")"
sed -i 's/<batch /<batch postcode-mismatch="print" /' "$PRINTCFG"
"$BIN" postal import --db "$NIGHT/cn3.db" "$NIGHT/KEN_ALL.CSV" 2>/dev/null
"$BIN" run --date 2026-12-01 --input "$NIGHT/in" --db "$NIGHT/cn3.db" --out "$NIGHT/out3" \
    --config "$PRINTCFG" 2>/dev/null
check "postcode-mismatch=print: printed without barcode, the postcode named" \
    grep -q "it suggests $right,${right/-/},printed" "$NIGHT/out3/2026-12-01/internal/review.csv"
check_eq "and not held" "1" "$(grep -o '"review": [0-9]*' "$NIGHT/out3/2026-12-01/internal/report.json" | grep -o '[0-9]*$')"

# Reprint and specimen reach the dictionary by the night's own path: where the rules alone
# print a wrong barcode (津軽石第二十一地割: they drop the 21), theirs is the dictionary's,
# decoded from the bars in their PDFs; without a dictionary they say so once.
RP="$SCRATCH/rp"
mkdir -p "$RP/in"
TSU='岩手県宮古市大字津軽石第二十一地割大淵川480'
{ cat "$ROOT/input/postal/ken_all-kasugai.csv"; unzip -p "$POSTAL/ken_all.zip" | grep -a ',"0270203",'; } >"$RP/KEN_ALL.CSV"
awk -F, -v a="$TSU" 'BEGIN {OFS = ","} $1 == "0000000002" {$5 = "027-0203"; $6 = a; $7 = ""} {print}' \
    "$ROOT/input/sample/residents.csv" >"$RP/in/residents.csv"
bars_of() { # PDF -> the symbols of every barcode in it, one line each
    qpdf --qdf --object-streams=disable "$1" "$RP/q.pdf"
    rm -rf "$RP/pgm" && mkdir -p "$RP/pgm"
    pdftoppm -gray -r 150 "$1" "$RP/pgm/page" 2>/dev/null
    python3 "$ROOT/tests/e2e/helpers/barmeasure.py" "$RP/q.pdf" "$RP/pgm" 150 | grep -v FAIL | cut -d' ' -f2-
}
dict_tsu="0 2 7 0 2 0 3 2 1 - 4 8 0 CC4 CC4 CC4 CC4 CC4 CC4 CC4 CC5"
rules_tsu="$("$BIN" custbar 027-0203 "$TSU" 2>/dev/null)"
check "the rules alone read another number there ($rules_tsu)" \
    test -n "$rules_tsu" -a "$rules_tsu" != "$dict_tsu"
check "import KEN_ALL with 津軽石's rows" "$BIN" postal import --db "$RP/cn.db" "$RP/KEN_ALL.CSV"
for db in cn plain; do
    "$BIN" run --date 2026-12-01 --input "$RP/in" --db "$RP/$db.db" --out "$RP/$db" --config "$CONFIG" 2>/dev/null
    "$BIN" reprint --date 2026-12-02 --db "$RP/$db.db" --out "$RP/$db" --config "$CONFIG" \
        0000000002 2>"$RP/$db-reprint.log"
done
check_eq "the night prints the dictionary's barcode" "1" \
    "$(bars_of "$RP/cn/2026-12-01/print/notices-001.pdf" | grep -cx "$dict_tsu")"
check_eq "the reprint prints the dictionary's barcode, as the night" "$dict_tsu" \
    "$(bars_of "$RP/cn/2026-12-02-reprint/print/notices-001.pdf")"
check "the reprint names the dictionary" grep -q "postcode dictionary: KEN_ALL of" "$RP/cn-reprint.log"
check_eq "without a dictionary the reprint says so, once" "1" \
    "$(grep -c 'no postcode dictionary' "$RP/plain-reprint.log")"
check_eq "and prints the rules' barcode, as the night without one" "$rules_tsu" \
    "$(bars_of "$RP/plain/2026-12-02-reprint/print/notices-001.pdf")"
# The resident moves after the letter went out, and the registry's new postcode is another
# town's: the reprint is held as the night would hold it, or printed without a barcode
# when the config says postcode-mismatch="print".
awk -F, -v a="$TSU" 'BEGIN {OFS = ","} $1 == "0000000002" {$5 = "027-0202"; $6 = a; $7 = ""} {print}' \
    "$ROOT/input/sample/residents.csv" >"$RP/moved.csv"
"$BIN" ingest --db "$RP/cn.db" --config "$CONFIG" "$RP/moved.csv" >/dev/null 2>&1
check_exit "a reprint whose postcode does not cover the town is held" 2 \
    "$BIN" reprint --date 2026-12-03 --db "$RP/cn.db" --out "$RP/cn" --config "$CONFIG" 0000000002
cp "$SCRATCH/.last" "$SCRATCH/out"
check "  saying so, with the postcode the dictionary suggests" grep -q "held, as the night.*suggests 027-0203" "$SCRATCH/out"
cp -r "$(dirname "$(dirname "$CONFIG")")" "$RP/tpl"
SPECCFG="$RP/tpl/municipalities/$(basename "$CONFIG")"
sender_postal=$(xmllint --xpath 'string(//sender/@postal)' "$SPECCFG")
sender_address=$(xmllint --xpath 'string(//sender/@address)' "$SPECCFG")
sed -i "s/postal=\"$sender_postal\"/postal=\"0270203\"/; s/ address=\"$sender_address\"/ address=\"$TSU\"/" "$SPECCFG"
sed -i 's/<batch /<batch postcode-mismatch="print" /' "$SPECCFG"
"$BIN" reprint --date 2026-12-03 --db "$RP/cn.db" --out "$RP/cn" --config "$SPECCFG" 0000000002 2>"$RP/moved.log"
check_eq "with postcode-mismatch=print it is reprinted without a barcode" "" \
    "$(bars_of "$RP/cn/2026-12-03-reprint/print/notices-001.pdf")"
check "  and the log says why" grep -q "suggests 027-0203: printed without customer barcode" "$RP/moved.log"
"$BIN" specimen --config "$SPECCFG" --db "$RP/cn.db" --date 2026-12-01 --out "$RP/spec.pdf" 2>"$RP/spec.log"
# the specimen's sample lives at the sender's address, in 見本マンション101号
check_eq "every specimen page pair carries the dictionary's barcode" \
    "0 2 7 0 2 0 3 2 1 - 4 8 0 - 1 0 1 CC4 CC4 CC4 2" "$(bars_of "$RP/spec.pdf" | sort -u)"
# the seven variants, the first one with each offered language's insert (6) and in large print,
# then the six reminders
check_eq "one per letter of the specimen" "20" "$(bars_of "$RP/spec.pdf" | wc -l)"
"$BIN" specimen --config "$SPECCFG" --db "$RP/none.db" --date 2026-12-01 --out "$RP/spec0.pdf" 2>"$RP/spec0.log"
check_eq "a specimen without a dictionary says so, once" "1" "$(grep -c 'no postcode dictionary' "$RP/spec0.log")"
check "and makes no database" test ! -e "$RP/none.db"
check_eq "its barcode is the rules' one" \
    "$(printf '027-0203\t%s\t見本マンション101号\n' "$TSU" | "$BIN" custbar - 2>/dev/null)" \
    "$(bars_of "$RP/spec0.pdf" | sort -u)"

check_exit "postal without a subcommand: usage" 2 "$BIN" postal
check_exit "import without files: usage" 2 "$BIN" postal import --db "$DB"
check_exit "custbar --db on a missing file: usage error" 2 "$BIN" custbar --db "$SCRATCH/none.db" 263-0023 '緑町3丁目30-8'

done_testing
