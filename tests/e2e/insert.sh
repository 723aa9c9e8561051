#!/usr/bin/env bash
# The multilingual insert (issue 29): residents whose `language` column names a language the
# config offers get two more pages (the insert in that language and in やさしい日本語, and
# its blank back), each with its sheet mark; the insert's text names the reservation ID and
# the dates in that language, its QR code decodes from the pixels to the booking URL; the
# manifest counts the pages. Residents without a language, or with one not offered, get
# the same two Japanese pages as before.
source "$(dirname "$0")/lib.sh"
DATE=2026-12-01
IN="$SCRATCH/in"
mkdir -p "$IN"
# The sample, each resident given a language in turn: the five languages and やさしい日本語
# as registries write them, none, and one not offered (tl).
python3 - "$ROOT/input/sample/residents.csv" "$IN/residents.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8")))
langs = ["en", "zh-CN", "ko", "vi", "pt-BR", "ja-x-easy", "", "tl"]
with open(sys.argv[2], "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f)
    w.writerow(rows[0] + ["language"])
    for i, r in enumerate(rows[1:]):
        w.writerow(r + [langs[i % len(langs)]])
PY
"$BIN" run --date "$DATE" --input "$IN" --db "$SCRATCH/db" --out "$SCRATCH/out" \
    --config "$CONFIG" 2>"$SCRATCH/log"
check_eq "run exits 0" 0 "$?"
B="$SCRATCH/out/$DATE"
PDF="$B/print/notices-001.pdf"

# Per letter: sequence, first page, pages, language, RID, expiry, window, variant.
python3 - "$B/internal/notices.csv" "$IN/residents.csv" "$B/booking/reservations.csv" \
    >"$SCRATCH/letters" <<'PY'
import csv, sys
lang = {r["resident_id"]: r["language"] for r in csv.DictReader(open(sys.argv[2], encoding="utf-8"))}
win = {r["reservation_id"]: (r["window_start"], r["window_end"])
       for r in csv.DictReader(open(sys.argv[3], encoding="utf-8"))}
offered = {"en": "en", "zh-CN": "zh-Hans", "ko": "ko", "vi": "vi", "pt-BR": "pt", "ja-x-easy": "ja-x-easy"}
page = 1
for r in sorted(csv.DictReader(open(sys.argv[1], encoding="utf-8")), key=lambda r: int(r["sequence"])):
    l = offered.get(lang[r["resident_id"]], "-")
    pages = 4 if l != "-" else 2
    s, e = win.get(r["reservation_id"], ("-", "-"))
    print(r["sequence"], page, pages, l, r["reservation_id"], r["cert_expiry"], s, e, r["variant"])
    page += pages
PY
total=$(awk '{s += $3} END {print s}' "$SCRATCH/letters")
check_eq "the PDF has every letter's pages (2, or 4 with an insert)" "$total" \
    "$(pdfinfo "$PDF" | awk '/^Pages:/ {print $2}')"
check "the manifest counts them" grep -q "pages=\"$total\"" "$B/print/manifest.xml"
check "a resident without a language: 2 pages" awk '$4 == "-" && $3 == 2 {f=1} END {exit !f}' "$SCRATCH/letters"
for l in en zh-Hans ko vi pt ja-x-easy; do
    check "$l: some letters carry its insert" grep -q " $l " "$SCRATCH/letters"
done

# The expected dates as each language writes them (lang.c; the table test pins the forms).
dates() { # LANG ISO-DATE: the date alone and with its weekday, one per line
    python3 - "$1" "$2" <<'PY'
import sys, datetime
l, iso = sys.argv[1], sys.argv[2]
d = datetime.date.fromisoformat(iso)
wd = d.isoweekday() % 7
mon = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()[d.month - 1]
f = {
    "en": ("%d %s %d" % (d.day, mon, d.year), "%s %d %s %d" % ("Sun Mon Tue Wed Thu Fri Sat".split()[wd], d.day, mon, d.year)),
    "ko": ("%d년 %d월 %d일" % (d.year, d.month, d.day), "%d년 %d월 %d일 (%s)" % (d.year, d.month, d.day, "일월화수목금토"[wd])),
    "vi": ("%02d/%02d/%d" % (d.day, d.month, d.year), "%02d/%02d/%d" % (d.day, d.month, d.year)),
    "pt": ("%02d/%02d/%d" % (d.day, d.month, d.year), "%02d/%02d/%d" % (d.day, d.month, d.year)),
    "zh-Hans": ("%d年%d月%d日" % (d.year, d.month, d.day), "%d年%d月%d日（%s）" % (d.year, d.month, d.day, ["周日","周一","周二","周三","周四","周五","周六"][wd])),
    "ja-x-easy": ("%d年%d月%d日" % (d.year, d.month, d.day), "%d年%d月%d日（%s）" % (d.year, d.month, d.day, "日月火水木金土"[wd])),
}[l]
print(f[0]); print(f[1])
PY
}

# One booking letter per language: its insert page's text and QR code.
for l in en zh-Hans ko vi pt ja-x-easy; do
    read -r seq first pages _ rid expiry start end variant < <(awk -v l="$l" \
        '$4 == l && $9 !~ /-N/ {print; exit}' "$SCRATCH/letters")
    p=$((first + 2))
    text="$(pdftotext -f "$p" -l "$p" -layout "$PDF" - 2>/dev/null | tr -s ' ')"
    printf '%s\n' "$text" >"$SCRATCH/insert-$l.txt"
    shown="${rid:0:4}-${rid:4:4}-${rid:8:4}"
    check "$l insert (page $p): the reservation ID $shown" grep -qF "$shown" <<<"$text"
    mapfile -t want < <(dates "$l" "$expiry")
    check "$l insert: the expiry as $l writes it (${want[0]})" grep -qF "${want[0]}" <<<"$text"
    mapfile -t want < <(dates "$l" "$start")
    check "$l insert: the window's first day (${want[1]})" grep -qF "${want[1]}" <<<"$text"
    mapfile -t want < <(dates "$l" "$end")
    check "$l insert: the window's last day (${want[1]})" grep -qF "${want[1]}" <<<"$text"
    check "$l insert: the sheet mark's human-readable line says 3/4" \
        grep -qE "No\.0*$seq +3/4" <<<"$text"
    [ "$l" != ja-x-easy ] &&
        check "$l insert: the やさしい日本語 half" grep -qF "電子証明書の更新について" <<<"$text"
    pdftoppm -r 150 -png -f "$p" -l "$p" "$PDF" "$SCRATCH/q-$l" 2>/dev/null
    urls="$(zbarimg -q --raw "$SCRATCH"/q-"$l"-*.png 2>/dev/null | sort -u)"
    check_eq "$l insert: the QR code decodes to the booking URL" "HTTP://127.0.0.1:8080/R/$rid" "$urls"
    mark="$(pdftoppm -r 150 -gray -f "$p" -l "$((p + 1))" "$PDF" "$SCRATCH/m-$l" 2>/dev/null
        for g in "$SCRATCH"/m-"$l"-*.pgm; do dmtxread -N1 -x 70% -y 85% "$g"; echo; done)"
    check "$l insert and its back carry the DataMatrix of pages 3 and 4 of 4" python3 - "$mark" "$DATE" "$seq" <<'PY'
import sys
got = [l for l in sys.argv[1].split("\n") if l]
want = []
for page in (3, 4):
    t = "%s|1|%06d|%d|4|" % (sys.argv[2], int(sys.argv[3]), page)
    w = [1, 3, 7]
    want.append(t + str(sum(w[i % 3] * ord(c) for i, c in enumerate(t[:-1])) % 10))
sys.exit(0 if got == want else print("# read", got, "wanted", want) or 1)
PY
done
check "the English insert says it in English" grep -qF "Reservation ID" "$SCRATCH/insert-en.txt"
check "the Korean insert in Hangul" grep -qF "마이넘버카드 전자증명서 갱신 안내" "$SCRATCH/insert-ko.txt"
check "the Chinese insert in simplified characters" grep -qF "电子证明书" "$SCRATCH/insert-zh-Hans.txt"
check "the Vietnamese insert with its diacritics" grep -qF "chứng thư điện tử" "$SCRATCH/insert-vi.txt"
check "the Portuguese insert" grep -qF "certificados eletrônicos" "$SCRATCH/insert-pt.txt"
check "the English insert names its phone line" grep -qF "0120-000-011" "$SCRATCH/insert-en.txt"
check "fonts embedded as subsets" bash -c "pdffonts '$PDF' | awk 'NR > 2 && \$5 != \"yes\" {bad=1} END {exit bad}'"

# The front and back of a letter with an insert say 1/4 and 2/4; the official letter is
# Japanese whatever the language.
read -r seq first _ < <(awk '$4 == "ko" {print; exit}' "$SCRATCH/letters")
front="$(pdftotext -layout -f "$first" -l "$first" "$PDF" - 2>/dev/null)"
check "a Korean reader's front is the Japanese letter" grep -qF "有効期限のお知らせ" <<<"$front"
check "... numbered 1/4" grep -qE "No\.0*$seq[ 　]+1/4" <<<"$front"

# Without <languages> nobody gets an insert, whatever the column says.
CITY="$(demo_city '/<languages/,/<\/languages>/d')"
"$BIN" run --date "$DATE" --input "$IN" --db "$SCRATCH/db2" --out "$SCRATCH/out2" \
    --config "$CITY" 2>"$SCRATCH/log2"
check_eq "a city offering only Japanese: run exits 0" 0 "$?"
n=$(($(wc -l <"$SCRATCH/out2/$DATE/internal/notices.csv") - 1))
check_eq "... two pages a letter" "$((2 * n))" \
    "$(pdfinfo "$SCRATCH/out2/$DATE/print/notices-001.pdf" | awk '/^Pages:/ {print $2}')"

# A language column that is not a language code is a reject naming the field.
printf '%s\n' "$(head -1 "$IN/residents.csv")" "$(sed -n 2p "$IN/residents.csv" | sed 's/,[^,]*$/,<script>/')" \
    >"$SCRATCH/bad.csv"
"$BIN" ingest --db "$SCRATCH/db3" --config "$CONFIG" "$SCRATCH/bad.csv" >"$SCRATCH/rej" 2>&1
check "a malformed language is rejected" grep -q "language '<script>' must be an ISO language code" "$SCRATCH/rej"

done_testing
