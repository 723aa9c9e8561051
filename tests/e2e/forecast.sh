#!/usr/bin/env bash
# certnotice forecast: counter demand per office and week against seats. On a generated
# population (every exclusion, month ends, two letters a resident) the counts equal an
# independent SQL count; seats equal the calendars' slots x seats (a holiday week, the
# year-end week, Kasugai's Sundays but the 3rd); on a synthetic booking history drawn from
# a known curve, the measured curve replaces the default exactly at the configured minimum
# and comes within 10% of the true one, the chart marks the weeks over capacity (SVG and
# PDF text, rendered through pdftoppm), and the backtest reports MAPE beside its baselines.
source "$(dirname "$0")/lib.sh"
GEN="$ROOT/tests/e2e/helpers/forecast_fixture.py"
EVERYDAY="$ROOT/tests/fixtures/forecast/everyday.xml"
TRUE_CURVE="0.30 0.15 0.08 0.05 0.04 0.03 0.03 0.03 0.03 0.04 0.05 0.06 0.04 0.01 0.01 0 0"
FROM=2026-11-30

# ---- the command line ----
check "forecast is in the command list" sh -c "'$BIN' --help | grep -q '^  forecast '"
"$BIN" forecast --help > "$SCRATCH/help"
for opt in --db --config --from --weeks --office --out --backtest; do
    check "--help names $opt" grep -q -- "$opt" "$SCRATCH/help"
done

# ---- counts: the night's rules, checked by an independent SQL count ----
DB="$SCRATCH/demo.db"
python3 "$GEN" residents "$SCRATCH/pop.csv" 11 1500 2026-09-01 2028-03-31 01,02,03
"$BIN" ingest --db "$DB" --config "$CONFIG" "$SCRATCH/pop.csv" > /dev/null 2>&1
check_exit "forecast runs on the demo city" 0 "$BIN" forecast --db "$DB" --config "$CONFIG" \
    --from "$FROM" --weeks 60 --out "$SCRATCH/demo"
CSV="$SCRATCH/demo/forecast.csv"
check_eq "forecast.csv starts with the contract's eight columns" \
    "office,week_start,windows_opening,letters,visits_expected,seats,load_pct,over_capacity" \
    "$(head -1 "$CSV" | tr -d '\r' | cut -d, -f1-8)"
check_eq "one row per office and week" $((3 * 60 + 1)) "$(wc -l < "$CSV")"
# The window: from the day after the same day three months before (that month's last day
# when it has no such day); a letter for a card expiring under three months after the
# certificate is the card's own renewal; one letter per resident and expiry.
sqlite3 "$DB" > "$SCRATCH/sql.txt" <<SQL
WITH g(district, card, e) AS (
  SELECT district, card_expiry, sign_cert_expiry FROM residents WHERE sign_cert_expiry IS NOT NULL
    AND status = 'active' AND hold = 0 AND returned_hold = 0
  UNION ALL
  SELECT district, card_expiry, user_cert_expiry FROM residents WHERE user_cert_expiry IS NOT NULL
    AND status = 'active' AND hold = 0 AND returned_hold = 0
    AND (sign_cert_expiry IS NULL OR sign_cert_expiry <> user_cert_expiry)),
c AS (SELECT district, card,
  min(date(e, 'start of month', '-3 months', '+' || (CAST(strftime('%d', e) AS INT) - 1) || ' days'),
      date(e, 'start of month', '-2 months', '-1 day')) AS back3,
  min(date(e, 'start of month', '+3 months', '+' || (CAST(strftime('%d', e) AS INT) - 1) || ' days'),
      date(e, 'start of month', '+4 months', '-1 day')) AS fwd3 FROM g),
s AS (SELECT CASE district WHEN '01' THEN 'main' WHEN '02' THEN 'north' ELSE 'south' END AS office,
  date(back3, '+1 day') AS start FROM c WHERE card >= fwd3),
w AS (SELECT office, date(start, '-' || ((CAST(strftime('%w', start) AS INT) + 6) % 7) || ' days') AS ws,
  date(start, '-14 days') AS letter FROM s),
l AS (SELECT office, date(letter, '-' || ((CAST(strftime('%w', letter) AS INT) + 6) % 7) || ' days') AS lw FROM w),
win AS (SELECT office, ws AS week, count(*) AS n FROM w GROUP BY 1, 2),
let AS (SELECT office, lw AS week, count(*) AS n FROM l GROUP BY 1, 2)
SELECT 'w', office, week, n FROM win WHERE week >= '$FROM' AND week < date('$FROM', '+420 days')
UNION ALL
SELECT 'l', office, week, n FROM let WHERE week >= '$FROM' AND week < date('$FROM', '+420 days');
SQL
tr -d '\r' < "$CSV" | awk -F, 'NR > 1 && $3 > 0 {print "w|" $1 "|" $2 "|" $3}
    NR > 1 && $4 > 0 {print "l|" $1 "|" $2 "|" $4}' | sort > "$SCRATCH/prog.txt"
sort "$SCRATCH/sql.txt" > "$SCRATCH/sql.sorted"
check "the counts are not trivial" test "$(wc -l < "$SCRATCH/sql.sorted")" -gt 150
if diff "$SCRATCH/sql.sorted" "$SCRATCH/prog.txt" > "$SCRATCH/count.diff"; then
    ok "windows opening and letters per office and week equal the SQL count"
else
    not_ok "windows opening and letters per office and week equal the SQL count"
    head -10 "$SCRATCH/count.diff" | sed 's/^/# /'
fi

# ---- seats: the calendar's slots x seats ----
seats() { tr -d '\r' < "$1" | awk -F, -v o="$2" -v w="$3" '$1 == o && $2 == w {print $6}'; }
# Demo main: Mon-Fri 8:30-17:15 = 17 slots, Wed to 19:30 = 22, Sundays 15 but the 3rd; 2 seats.
check_eq "demo main, an ordinary week: (17x4 + 22 + 15) x 2" 210 "$(seats "$CSV" main 2027-02-01)"
check_eq "demo main, 1/11 成人の日 and 1/17 the 3rd Sunday" $(((17 * 3 + 22) * 2)) \
    "$(seats "$CSV" main 2027-01-11)"
check_eq "demo main, 12/29-1/3 closed: Monday 12/28 only" 34 "$(seats "$CSV" main 2026-12-28)"
check_eq "demo north, the year-end week: 12/28 only (13 slots, 1 seat)" 13 \
    "$(seats "$CSV" north 2026-12-28)"
check_eq "demo south takes no bookings: no seats" 0 "$(seats "$CSV" south 2027-02-01)"
check_eq "demo south: visits per walk-in hour given" 1 \
    "$(tr -d '\r' < "$CSV" | awk -F, '$1 == "south" && $11 != "" {n++} END {print (n > 0)}')"
check_eq "demo south: never over capacity, no load" "0|" \
    "$(tr -d '\r' < "$CSV" | awk -F, '$1 == "south" {o += $8; l = l $7} END {print o "|" l}')"
KASUGAI="$ROOT/templates/municipalities/kasugai.xml"
check_exit "forecast runs on Kasugai" 0 "$BIN" forecast --db "$DB" --config "$KASUGAI" \
    --from 2027-02-01 --weeks 3 --office main --out "$SCRATCH/kasugai"
K="$SCRATCH/kasugai/forecast.csv"
check_eq "Kasugai main, a week with its 1st Sunday: (17x4 + 22 + 15) x 2" 210 "$(seats "$K" main 2027-02-01)"
check_eq "Kasugai main, 2/11 a holiday, 2/14 the 2nd Sunday open" $(((17 * 3 + 22 + 15) * 2)) \
    "$(seats "$K" main 2027-02-08)"
check_eq "Kasugai main, 2/21 the 3rd Sunday closed" $(((17 * 4 + 22) * 2)) "$(seats "$K" main 2027-02-15)"
check_eq "--office keeps that office only" "main" "$(tr -d '\r' < "$K" | awk -F, 'NR > 1 {print $1}' | sort -u)"

# ---- a synthetic history drawn from a known curve ----
HDB="$SCRATCH/history.db"
city() { sed "s/MINRES/$1/" "$EVERYDAY" > "$SCRATCH/city-$1.xml"; echo "$SCRATCH/city-$1.xml"; }
python3 "$GEN" history "$SCRATCH/hist.csv" 7 6000 2025-01-01 2027-06-30 2027-02-10 600
"$BIN" ingest --db "$HDB" --config "$(city 300)" "$SCRATCH/hist.csv" > /dev/null 2>&1
python3 "$GEN" book "$HDB" 7 "$TRUE_CURVE" 2026-12-01
check_exit "forecast on the history" 0 "$BIN" forecast --db "$HDB" --config "$(city 300)" \
    --from 2026-12-01 --out "$SCRATCH/h300"
H="$SCRATCH/h300/forecast.csv"
N=$(tr -d '\r' < "$H" | awk -F, 'NR == 2 {print $13}')
check "the curve is measured on the complete history" test "${N:-0}" -gt 3000
check_eq "forecast.csv says the measured curve" measured "$(tr -d '\r' < "$H" | awk -F, 'NR == 2 {print $12}')"
err=$(python3 - "$SCRATCH/h300/curve.csv" "$TRUE_CURVE" <<'PY'
import csv, sys
true = [float(x) for x in sys.argv[2].split()]
got = [float(r["used_share"]) for r in csv.DictReader(open(sys.argv[1]))]
print(round(100 * sum(abs(a - b) for a, b in zip(got, true)) / sum(true), 1))
PY
)
echo "# measured curve vs the true one: ${err}% (sum of absolute differences / sum)"
check "the measured curve is within 10% of the true one" \
    python3 -c "import sys; sys.exit(0 if float('$err') <= 10 else 1)"
"$BIN" forecast --db "$HDB" --config "$(city "$N")" --from 2026-12-01 --out "$SCRATCH/hN" \
    > "$SCRATCH/hN.out" 2>&1
check_eq "at the minimum ($N residents) the measured curve is used" measured \
    "$(tr -d '\r' < "$SCRATCH/hN/forecast.csv" | awk -F, 'NR == 2 {print $12}')"
check "and the command says on how many residents" grep -q "（${N}人で測定）" "$SCRATCH/hN.out"
"$BIN" forecast --db "$HDB" --config "$(city $((N + 1)))" --from 2026-12-01 --out "$SCRATCH/hN1" \
    > "$SCRATCH/hN1.out" 2>&1
check_eq "one resident short of it the default curve is used" default \
    "$(tr -d '\r' < "$SCRATCH/hN1/forecast.csv" | awk -F, 'NR == 2 {print $12}')"
check "and the command says why" grep -q "設定の既定値（実績 ${N}人 < 必要 $((N + 1))人）" "$SCRATCH/hN1.out"
check_eq "the default curve's shares are the config's" "0.1400" \
    "$(tr -d '\r' < "$SCRATCH/hN1/curve.csv" | awk -F, 'NR == 2 {print $3}')"

# ---- over capacity: the surge of 2027-02-10 overflows the 56 seats a week ----
overs=$(tr -d '\r' < "$H" | awk -F, 'NR > 1 && $8 == 1 {n++} END {print n + 0}')
check "some weeks are over capacity" test "$overs" -gt 0
check_eq "the week of the surge is over capacity" 1 "$(tr -d '\r' < "$H" | awk -F, '$2 == "2027-02-08" {print $8}')"
check_eq "over_capacity is visits > seats on every row" 0 \
    "$(tr -d '\r' < "$H" | awk -F, 'NR > 1 && (($5 > $6 && $6 > 0) != ($8 == 1)) {n++} END {print n + 0}')"
check_eq "the SVG marks each such week 超過" "$overs" "$(grep -c '>超過</text>' "$SCRATCH/h300/forecast.svg")"
check "the SVG is well-formed XML" python3 -c "import xml.dom.minidom,sys; xml.dom.minidom.parse('$SCRATCH/h300/forecast.svg')"
PDF="$SCRATCH/h300/forecast.pdf"
check "qpdf --check passes" qpdf --check "$PDF"
check "the PDF embeds IPAex Gothic" sh -c "pdffonts '$PDF' | grep -q 'IPAexGothic.*yes'"
pdftotext -layout "$PDF" "$SCRATCH/chart.txt"
check "the PDF heading counts the weeks over capacity" grep -q "超過 ${overs}週" "$SCRATCH/chart.txt"
check_eq "the PDF marks each such week 超過" "$((overs + 2))" "$(grep -o '超過' "$SCRATCH/chart.txt" | wc -l)"
check "the PDF names the curve and its residents" grep -q "${N}人で測定" "$SCRATCH/chart.txt"
pdftoppm -r 60 -png "$PDF" "$SCRATCH/chart"
check "the chart renders to a PNG" test -s "$SCRATCH/chart-1.png"
# Dark bars (the over-capacity shade) are on the page: pixels of about 38% grey.
dark=$(python3 - "$SCRATCH/chart-1.png" <<'PY'
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
pos, chunks, w, h = 8, [], 0, 0
while pos < len(data):
    n, t = struct.unpack(">I4s", data[pos:pos + 8])
    if t == b"IHDR":
        w, h, depth, ctype = struct.unpack(">IIBB", data[pos + 8:pos + 18])
    if t == b"IDAT":
        chunks.append(data[pos + 8:pos + 8 + n])
    pos += 12 + n
raw = zlib.decompress(b"".join(chunks))
bpp, stride = 3, w * 3
prev, dark, i = bytearray(stride), 0, 0
for y in range(h):
    f, line = raw[i], bytearray(raw[i + 1:i + 1 + stride]); i += 1 + stride
    for x in range(stride):
        a = line[x - bpp] if x >= bpp else 0
        b, c = prev[x], prev[x - bpp] if x >= bpp else 0
        if f == 1: line[x] = (line[x] + a) & 255
        elif f == 2: line[x] = (line[x] + b) & 255
        elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    dark += sum(1 for x in range(0, stride, 3) if 85 <= line[x] <= 110 and line[x] == line[x + 1])
    prev = line
print(dark)
PY
)
check "the PNG shows the dark over-capacity bars ($dark px)" test "${dark:-0}" -gt 500

# ---- backtest ----
check_exit "the backtest runs" 0 "$BIN" forecast --backtest --db "$HDB" --config "$(city 300)" \
    --from 2026-06-01 --weeks 26 --out "$SCRATCH/bt"
"$BIN" forecast --backtest --db "$HDB" --config "$(city 300)" --from 2026-06-01 --weeks 26 \
    --out "$SCRATCH/bt" > "$SCRATCH/bt.out" 2>&1
sed 's/^/# /' "$SCRATCH/bt.out"
line=$(grep '^center,' "$SCRATCH/bt.out")
check "MAPE per office is reported beside both baselines" \
    sh -c "echo '$line' | grep -Eq '^center,26,[0-9.]+,[0-9.]+,[0-9.]+$'"
check "the measured curve predicts better than the default curve" \
    python3 -c "import sys; f = '$line'.split(','); sys.exit(0 if float(f[2]) < float(f[3]) else 1)"
check "and within 20% a week" python3 -c "import sys; sys.exit(0 if float('$line'.split(',')[2]) < 20 else 1)"
check_eq "backtest.csv: a row per week" 27 "$(wc -l < "$SCRATCH/bt/backtest.csv")"
check_eq "backtest's actual visits equal the attended bookings (SQL)" \
    "$(sqlite3 "$HDB" "SELECT count(*) FROM bookings WHERE attendance IN ('arrived','done') AND day >= '2026-06-01' AND day < date('2026-06-01', '+182 days')")" \
    "$(tr -d '\r' < "$SCRATCH/bt/backtest.csv" | awk -F, 'NR > 1 {s += $3} END {print s}')"

# ---- the forecast is made inside: it reads the registry, which the booking service never sees ----
source "$(dirname "$0")/helpers/serve.sh"
check_exit "serve on the night's database (the forecast's) is refused" 2 "$BIN" serve \
    --config "$(city 300)" --db "$HDB" --listen 127.0.0.1:1 --now 2026-12-01T10:00
cp "$SCRATCH/.last" "$SCRATCH/refused.out"
check "naming feed import" grep -q 'feed .*import' "$SCRATCH/refused.out"

# ---- mistakes ----
check_exit "an unknown office is a usage error" 2 "$BIN" forecast --db "$DB" --config "$CONFIG" \
    --office nowhere --out "$SCRATCH/x"
check_exit "a missing database is refused, not created" 3 "$BIN" forecast --db "$SCRATCH/none.db" \
    --config "$CONFIG" --out "$SCRATCH/x"
check "and not created" test ! -e "$SCRATCH/none.db"
sed 's/curve="0.14 0.10/curve="0.94 0.10/' "$(city 300)" > "$SCRATCH/bad.xml"
check_exit "a curve summing over 1 is a config error" 2 "$BIN" forecast --db "$DB" \
    --config "$SCRATCH/bad.xml" --out "$SCRATCH/x"
cp "$SCRATCH/.last" "$SCRATCH/bad.out"
check "naming the file and line" grep -Eq "bad.xml:[0-9]+: forecast curve .* sums to more than 1" "$SCRATCH/bad.out"
check_exit "--weeks 0 is refused" 2 "$BIN" forecast --db "$DB" --config "$CONFIG" --weeks 0
check_eq "files are the config's mode" "600" "$(stat -c %a "$SCRATCH/demo/forecast.csv")"
done_testing
