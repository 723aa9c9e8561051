#!/usr/bin/env bash
# Closing the loop (issue 27): a simulated year on 20,000 residents (tests/e2e/helpers/
# loop_year.py, a known take-up per district and age band). Each weekly night's export
# renews those who went, some after the reminder; bookings are written into the night's
# database as `bookings import` brings them in from the booking store. At the end takeup.csv equals the
# generator's counts row for row (by district and by age band); the reminders are exactly
# the residents the rule names, by the generator and by an independent SQL count; no renewed
# resident is reminded and no renewed ID stays bookable; a resident who renews the day after
# booking has the booking cancelled (reason renewed) and listed in that night's
# outcomes.csv; the chart is rendered; the CSV's sums are the report's totals. Then the
# edge cases one by one: the same expiry again, a reissued card, a death, the reminder
# letter itself (headline, same ID in the QR code, its variant on the sheet mark, counted
# in the manifest) and the specimen's reminders.
#
# The calendar is reduced but faithful, to keep `make test` short: one night every two weeks
# for a year, 27 nights (every rule is a "first night on or after" rule, so nights apart
# exercise them all: a reminder's night is made up by the next, a renewal is seen on the
# next night), and after the first night's full export each night's file holds only the
# records that changed.
source "$(dirname "$0")/lib.sh"
GEN="$ROOT/tests/e2e/helpers/loop_year.py"
CITY=$(demo_city 's|^  <batch |  <reminder days-before-expiry="30"/>\n  <batch |')
Y="$SCRATCH/year"; DB="$SCRATCH/year.db"; OUT="$SCRATCH/out"
check "the config carries <reminder>" grep -q 'reminder days-before-expiry="30"' "$CITY"
python3 "$GEN" plan "$Y" 27 20000 2027-01-04 27 14 30 14

# ---- the year ----
t0=$(date +%s)
k=0; failed=0
while read -r night; do
    dir="$Y/$(printf %03d "$k")"
    if [ -s "$dir/bookings.tsv" ]; then
        # the rows `bookings import` writes (store_counter.c): one active booking per ID
        awk -F'\t' '{printf "INSERT INTO bookings (rid, office, day, start, status, by_whom, created_at, attendance) SELECT rid, '\''%s'\'', '\''%s'\'', '\''10:00'\'', '\''active'\'', '\''web'\'', '\''%s 12:00:00'\'', NULLIF('\''%s'\'', '\'''\'') FROM notices WHERE resident_id = '\''%s'\'' AND cert_expiry = '\''%s'\'';\n", $3, $4, $5, $6, $1, $2}' \
            "$dir/bookings.tsv" | sqlite3 "$DB"
    fi
    if ! "$BIN" run --date "$night" --input "$dir/input.csv" --db "$DB" --out "$OUT" \
        --config "$CITY" --jobs 2 >"$SCRATCH/night.log" 2>&1; then
        failed=$((failed + 1)); sed 's/^/# /' "$SCRATCH/night.log" | tail -5
    fi
    k=$((k + 1))
done <"$Y/nights.txt"
check_eq "27 nights ran" "27 0" "$k $failed"
echo "# the simulated year took $(($(date +%s) - t0)) s"

# ---- take-up against the generator ----
check_exit "takeup by district" 0 "$BIN" takeup --db "$DB" --config "$CITY" --by district \
    --out "$SCRATCH/tk-district"
check_exit "takeup by age band" 0 "$BIN" takeup --db "$DB" --config "$CITY" --by age \
    --out "$SCRATCH/tk-age"
for by in district age; do
    if diff <(tr -d '\r' <"$Y/expect-$by.csv") <(tr -d '\r' <"$SCRATCH/tk-$by/takeup.csv") \
        >"$SCRATCH/diff-$by"; then ok "takeup.csv by $by equals the generator's counts row for row"
    else not_ok "takeup.csv by $by differs from the generator's counts"; sed 's/^/# /' "$SCRATCH/diff-$by"; fi
done
echo "# takeup.csv by district:"; tr -d '\r' <"$SCRATCH/tk-district/takeup.csv" | sed 's/^/#   /'

# ---- reminders: the rule's residents, by the generator and by SQL ----
sqlite3 "$DB" "SELECT n.resident_id FROM followups f JOIN notices n ON n.id = f.notice_id
  WHERE f.kind = 'reminder' AND f.status = 'published' ORDER BY 1" >"$SCRATCH/reminded.txt"
check_eq "the reminders are the residents the generator's rule names" \
    "$(wc -l <"$Y/expect-reminded.txt")" "$(comm -3 "$Y/expect-reminded.txt" "$SCRATCH/reminded.txt" | wc -l | sed "s/^0$/$(wc -l <"$Y/expect-reminded.txt")/")"
# Independently: a published letter; the reminder's night is the first night on or after
# E - 30 (and before E); on it the resident had not renewed, held no booking (made by then,
# not cancelled by a renewal seen by then) and had not moved out or died.
sqlite3 "$DB" >"$SCRATCH/rule.txt" <<'SQL'
WITH n AS (
  SELECT n.id, n.rid, n.resident_id, n.cert_expiry AS e, n.outcome, n.outcome_on,
         (SELECT run_date FROM runs r WHERE r.id = n.run_id) AS letter,
         (SELECT min(run_date) FROM runs WHERE command = 'run'
            AND run_date >= date(n.cert_expiry, '-30 days') AND run_date < n.cert_expiry) AS night
  FROM notices n WHERE n.status = 'published')
SELECT resident_id FROM n
WHERE night IS NOT NULL AND letter < date(e, '-30 days')
  AND NOT (outcome IS NOT NULL AND outcome_on <= night)
  AND NOT EXISTS (SELECT 1 FROM bookings b WHERE b.rid = n.rid AND date(b.created_at) <= night)
ORDER BY 1;
SQL
check_eq "the reminders equal an independent SQL count of the rule" "" \
    "$(comm -3 "$SCRATCH/rule.txt" "$SCRATCH/reminded.txt" | head -5)"
check "some reminders went out ($(wc -l <"$SCRATCH/reminded.txt"))" test "$(wc -l <"$SCRATCH/reminded.txt")" -gt 1000
check_eq "no renewed resident is reminded" 0 "$(sqlite3 "$DB" "SELECT count(*) FROM followups f
  JOIN notices n ON n.id = f.notice_id WHERE f.kind = 'reminder' AND n.outcome = 'renewed'
  AND n.outcome_on <= f.run_date")"
check_eq "once per notice" 0 "$(sqlite3 "$DB" "SELECT count(*) FROM (SELECT notice_id FROM followups
  WHERE kind = 'reminder' GROUP BY notice_id HAVING count(*) > 1)")"

# ---- no renewed ID stays bookable ----
"$BIN" export-reservations --db "$DB" 2>/dev/null | tr -d '\r' | cut -d, -f1 | sort >"$SCRATCH/feed.txt"
sqlite3 "$DB" "SELECT rid FROM notices WHERE outcome IN ('renewed','withdrawn') ORDER BY 1" >"$SCRATCH/gone.txt"
check "some IDs are still bookable ($(wc -l <"$SCRATCH/feed.txt"))" test "$(wc -l <"$SCRATCH/feed.txt")" -gt 100
check_eq "no renewed or withdrawn ID is in the feed" "" "$(comm -12 "$SCRATCH/feed.txt" "$SCRATCH/gone.txt" | head -3)"
# the night's snapshot for the booking store: every night's feed.csv, none with an ID that
# had renewed or withdrawn by that night
leaks=0
for f in "$OUT"/*/booking/feed.csv; do
    night=$(basename "$(dirname "$(dirname "$f")")"); night=${night:0:10}
    tr -d '\r' <"$f" | awk -F, 'NR > 1 {print $1}' | sort >"$SCRATCH/night-feed.txt"
    sqlite3 "$DB" "SELECT rid FROM notices WHERE outcome IN ('renewed','withdrawn')
      AND outcome_on <= '$night' ORDER BY 1" >"$SCRATCH/night-gone.txt"
    leaks=$((leaks + $(comm -12 "$SCRATCH/night-feed.txt" "$SCRATCH/night-gone.txt" | wc -l)))
done
check "every night wrote booking/feed.csv" test -s "$(ls -d "$OUT"/*/booking/feed.csv | tail -1)"
check_eq "no night's feed.csv holds an ID renewed or withdrawn by then" 0 "$leaks"

# ---- a booking the renewal made pointless: cancelled with its reason, listed ----
sqlite3 "$DB" "SELECT n.resident_id FROM bookings b JOIN notices n ON n.rid = b.rid
  WHERE b.status = 'cancelled' AND b.reason = 'renewed' ORDER BY 1" >"$SCRATCH/cancelled.txt"
check_eq "the bookings of those who renewed the day after booking are cancelled, reason renewed" \
    "$(cat "$Y/cancelled.txt")" "$(cat "$SCRATCH/cancelled.txt")"
cat "$OUT"/*/internal/outcomes.csv | tr -d '\r' | awk -F, '$4 == "renewed" && $6 != "" {print $1}' \
    | sort >"$SCRATCH/listed.txt"
check_eq "each is listed in its night's outcomes.csv with the booking" \
    "$(cat "$Y/cancelled.txt")" "$(cat "$SCRATCH/listed.txt")"
check "the generator had such residents ($(wc -l <"$Y/cancelled.txt"))" test -s "$Y/cancelled.txt"

# ---- the chart and the report ----
check "takeup.svg is an SVG with the title" grep -q '電子証明書の更新状況' "$SCRATCH/tk-district/takeup.svg"
check "takeup.pdf renders" pdftoppm -r 60 -png -f 1 -l 1 "$SCRATCH/tk-district/takeup.pdf" "$SCRATCH/chart"
check "the chart's text names the districts and the total" sh -c \
    "pdftotext '$SCRATCH/tk-district/takeup.pdf' - | grep -q 合計 && pdftotext '$SCRATCH/tk-district/takeup.pdf' - | grep -q 北部地区"
mkdir -p "$ROOT/build/loop-shots" && cp "$SCRATCH"/chart*.png "$ROOT/build/loop-shots/takeup-district.png" 2>/dev/null
"$BIN" report --db "$DB" --config "$CITY" >"$SCRATCH/report.txt" 2>/dev/null
report_total=$(awk '/^take-up/ {on = 1} on && $1 == "total" {$1 = ""; print; exit}' "$SCRATCH/report.txt" | xargs)
csv_sum=$(tr -d '\r' <"$SCRATCH/tk-district/takeup.csv" | awk -F, 'NR > 1 {for (i = 2; i <= NF; i++) if (i != 10) s[i] += $i}
  END {printf "%d %d %d %d %d %d %d %d", s[2], s[3], s[4], s[5], s[6], s[7], s[8], s[9]; printf " X %d %d", s[11], s[12]}')
check_eq "the CSV's sums are the report's totals" "$csv_sum" \
    "$(echo "$report_total" | awk '{printf "%s %s %s %s %s %s %s %s X %s %s", $1, $2, $3, $4, $5, $6, $7, $8, $10, $11}')"
check_eq "by age the same totals" "$csv_sum" "$(tr -d '\r' <"$SCRATCH/tk-age/takeup.csv" | awk -F, 'NR > 1 {for (i = 2; i <= NF; i++) if (i != 10) s[i] += $i}
  END {printf "%d %d %d %d %d %d %d %d", s[2], s[3], s[4], s[5], s[6], s[7], s[8], s[9]; printf " X %d %d", s[11], s[12]}')"

# ---- one reminder letter, looked at ----
# one of a district that books (a walk-in district's letter has no ID or QR code to show)
batch=$(grep -l -- '-[RO]-M,' "$OUT"/*/internal/notices.csv | head -1 | xargs dirname | xargs dirname)
row=$(tr -d '\r' <"$batch/internal/notices.csv" | grep -- '-[RO]-M,' | head -1)
rid=$(echo "$row" | cut -d, -f2); file=$(echo "$row" | cut -d, -f5)
check "the reminder's notice keeps its ID" test "$(sqlite3 "$DB" "SELECT count(*) FROM notices WHERE rid = '$rid'")" = 1
# its front page: the one with its ID as the letter prints it (XXXX-XXXX-XXXX)
shown="${rid:0:4}-${rid:4:4}-${rid:8:4}"
page=$(pdftotext "$batch/print/$file" - | awk -v id="$shown" 'BEGIN {RS = "\f"} index($0, id) {print NR; exit}')
pdftotext -f "${page:-1}" -l "${page:-1}" "$batch/print/$file" "$SCRATCH/rem.txt"
expiry=$(echo "$row" | cut -d, -f3)
check "the reminder's front page is found by its ID (page ${page:-none})" test -n "$page"
check "the reminder's headline says it lapses soon, with the date ($expiry)" \
    grep -q "【再通知】電子証明書の有効期限が$("$BIN" wareki "$expiry")" "$SCRATCH/rem.txt"
check "the sheet mark shows the reminder's variant" grep -q -- "$(echo "$row" | cut -d, -f4)" "$SCRATCH/rem.txt"
pdftoppm -r 100 -png -f "${page:-1}" -l "${page:-1}" "$batch/print/$file" "$SCRATCH/rem"
cp "$SCRATCH"/rem*.png "$ROOT/build/loop-shots/reminder.png"
qr=$(zbarimg -q --raw "$SCRATCH"/rem*.png 2>/dev/null | grep -m1 '/R/')
check_eq "its QR code opens the same reservation ID" "HTTP://127.0.0.1:8080/R/$rid" "$qr"
letters=$(tr -d '\r' <"$batch/print/manifest.csv" | awk -F, 'NR > 1 && $1 ~ /pdf$/ {s += $2} END {print s}')
check_eq "the manifest counts the reminders with the letters" \
    "$(($(tr -d '\r' <"$batch/internal/notices.csv" | wc -l) - 1))" "$letters"

# ---- the edge cases, one resident each ----
E="$SCRATCH/edge"; mkdir -p "$E"
H="resident_id,name,name_kana,birth_date,postal_code,address,address2,district,card_expiry,sign_cert_expiry,user_cert_expiry,face_auth,adult_ward,status,hold"
edge() { # id card sign user status
    echo "$1,試験　花子,シケン　ハナコ,1970-05-05,486-0816,春日井市東野新町2丁目13番3号,,01,$2,$3,$4,0,0,${5:-active},0"
}
{ echo "$H"; edge 9000000001 2035-01-01 2027-03-31 2027-03-31; edge 9000000002 2035-01-01 2027-03-31 2027-03-31
  edge 9000000003 2035-01-01 2027-03-31 2027-03-31; edge 9000000004 2035-01-01 2027-03-31 2027-03-31; } >"$E/n1.csv"
{ echo "$H"; edge 9000000001 2035-01-01 2027-03-31 2027-03-31                 # the same expiry again
  edge 9000000002 2036-12-20 2031-12-20 2031-12-20                              # a reissued card
  edge 9000000004 2035-01-01 2027-03-31 2027-03-31 deceased; } >"$E/n2.csv"
{ echo "$H"; edge 9000000001 2035-01-01 2027-03-31 2027-03-31; edge 9000000003 2035-01-01 2027-03-31 2027-03-31; } >"$E/n3.csv"
run_edge() { "$BIN" run --date "$1" --input "$2" --db "$E/cn.db" --out "$E/out" --config "$CITY" >/dev/null 2>&1; }
check_exit "edge: the letters" 0 run_edge 2026-12-20 "$E/n1.csv"
check_exit "edge: the next export" 0 run_edge 2026-12-21 "$E/n2.csv"
oc() { sqlite3 "$E/cn.db" "SELECT coalesce(outcome, 'open') FROM notices WHERE resident_id = '$1'"; }
check_eq "the same expiry again is no renewal" open "$(oc 9000000001)"
check_eq "a reissued card counts as renewed" renewed "$(oc 9000000002)"
check_eq "a death is withdrawn, not lapsed" withdrawn "$(oc 9000000004)"
check_exit "edge: the reminder's night" 0 run_edge 2027-03-01 "$E/n3.csv"
rem() { sqlite3 "$E/cn.db" "SELECT count(*) FROM followups f JOIN notices n ON n.id = f.notice_id WHERE f.kind = 'reminder' AND n.resident_id = '$1'"; }
check_eq "the reissued card gets no reminder for the old expiry" 0 "$(rem 9000000002)"
check_eq "the dead get none" 0 "$(rem 9000000004)"
check_eq "those still open get one" "1 1" "$(rem 9000000001) $(rem 9000000003)"
check_exit "edge: the night after" 0 run_edge 2027-03-02 "$E/n3.csv"
check_eq "and only one" "1 1" "$(rem 9000000001) $(rem 9000000003)"
check_exit "edge: after expiry" 0 run_edge 2027-04-01 "$E/n3.csv"
check_eq "expiry passed without renewal: lapsed" "lapsed lapsed" "$(oc 9000000001) $(oc 9000000003)"
check_eq "expired-letters: one 新規発行 letter follows each lapse" 2 \
    "$(sqlite3 "$E/cn.db" "SELECT count(*) FROM followups WHERE kind = 'lapse' AND status = 'published'")"
check "the 新規発行 letter is the expired variant" grep -q -- '-R-X,' "$E/out/2027-04-01/internal/notices.csv"

# ---- the specimen shows every variant's reminder ----
check_exit "specimen" 0 "$BIN" specimen --config "$CITY" --date 2026-12-01 --out "$SCRATCH/spec.pdf" --db "$SCRATCH/none.db"
check_eq "six reminders: every variant but the expired one" 6 \
    "$(pdftotext "$SCRATCH/spec.pdf" - | grep -c '【再通知】電子証明書の有効期限が')"
done_testing
