#!/usr/bin/env bash
# Both sides of the wall (三層の対策) on one machine, as two folders with two databases and
# only the transferred files between them: the night inside writes booking/feed.csv and
# feed.json; feed import loads them outside; residents book on the web and staff by phone;
# export-bookings carries the bookings back; bookings import and daylist print the named
# list inside. A second night in which one resident renewed and one moved away withdraws
# both IDs outside and cancels their bookings, listed with the reason. Every refusal of
# feed import (tampered, older, another municipality, truncated, a name column) changes
# nothing. Then every byte of the booking store is searched for the registry's data.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/helpers/serve.sh"
IN="$SCRATCH/inside"; OUT="$SCRATCH/outside"; XFER="$SCRATCH/transfer"
mkdir -p "$IN/input" "$OUT" "$XFER"
NIGHT="$IN/certnotice.db"; STORE="$OUT/booking.db"
RES="$IN/input/residents.csv"
cp "$ROOT/input/sample/residents.csv" "$RES"
PW='main counter pass 1'

# transfer_out BATCH NAME: the night's two feed files, and nothing else, to the outside.
transfer_out() {
    rm -rf "${XFER:?}/$2"; mkdir -p "$XFER/$2"
    cp "$1/booking/feed.csv" "$1/booking/feed.json" "$XFER/$2/"
}
dump() { sqlite3 "$STORE" .dump | sha256sum; }

# ---- night 1, inside ------------------------------------------------------------------------
check_exit "night 1 inside (2026-12-01)" 0 "$BIN" run --date 2026-12-01 --input "$IN/input" \
    --db "$NIGHT" --out "$IN/out" --config "$CONFIG"
B1="$IN/out/2026-12-01"
check "booking/: reservations.csv kept, feed.csv and feed.json beside it" \
    test -s "$B1/booking/reservations.csv" -a -s "$B1/booking/feed.csv" -a -s "$B1/booking/feed.json"
check_eq "feed.csv's columns" \
    "reservation_id,window_start,window_end,cert_expiry,district,birth_mmdd,letter_date,policy" \
    "$(head -1 "$B1/booking/feed.csv" | tr -d '\r')"
check_eq "feed.json: its SHA-256 is feed.csv's" "$(sha256sum <"$B1/booking/feed.csv" | cut -d' ' -f1)" \
    "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["sha256"])' "$B1/booking/feed.json")"
check_eq "feed.json: municipality, batch, run and rows" "見本市 2026-12-01 1 $(($(wc -l <"$B1/booking/feed.csv") - 1))" \
    "$(python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(j["municipality"], j["batch_date"], j["run"], j["rows"])' "$B1/booking/feed.json")"
check "feed.csv: every booking ID of reservations.csv, and the walk-in letters marked walk_in" bash -c \
    "for r in \$(awk -F, 'NR>1 {print \$1}' '$B1/booking/reservations.csv'); do grep -q \"^\$r,.*,book\" '$B1/booking/feed.csv' || exit 1; done;
     grep -q ',03,.*,walk_in' '$B1/booking/feed.csv'"
names=$(awk -F, 'NR>1 {print $2}' "$RES" | head -40 | paste -sd'|')
check "feed.csv: no name, kana, address, postcode, birth date or resident ID" bash -c \
    "! grep -Eq '$names' '$B1/booking/feed.csv' && ! grep -Eq '[0-9]{4}-[0-9]{2}-[0-9]{2}.*(19|20)[0-9]{2}-[0-9]{2}-[0-9]{2},' /dev/null &&
     ! grep -Eq '(^|,)0000000[0-9]{3}(,|$)' '$B1/booking/feed.csv' && ! grep -q '[0-9]\{3\}-[0-9]\{4\}' '$B1/booking/feed.csv'"
transfer_out "$B1" night1

# ---- outside: the feed into the booking store -----------------------------------------------
check_exit "serve on the night's database is refused" 2 "$BIN" serve --config "$CONFIG" \
    --db "$NIGHT" --listen 127.0.0.1:1 --now 2026-12-03T10:00
cp "$SCRATCH/.last" "$SCRATCH/refused.out"
check "and the refusal names feed import" grep -q 'feed .*import' "$SCRATCH/refused.out"
check_exit "feed import of night 1 (the folder)" 0 "$BIN" feed --db "$STORE" --config "$CONFIG" import "$XFER/night1"
before=$(dump)
check_exit "the same batch again (its feed.json)" 0 "$BIN" feed --db "$STORE" --config "$CONFIG" import "$XFER/night1/feed.json"
cp "$SCRATCH/.last" "$SCRATCH/again.out"
check "  says unchanged" grep -q 'unchanged' "$SCRATCH/again.out"
check_eq "  and changes nothing" "$before" "$(dump)"
check_eq "the store holds night 1's IDs" "$(($(wc -l <"$B1/booking/feed.csv") - 1))" \
    "$(sqlite3 "$STORE" 'SELECT count(*) FROM feed WHERE withdrawn_at IS NULL')"

# Three residents of district 01 who stay, renew and move away; one more booked by phone.
# the N-th bookable ID of district 01 whose resident has no other letter (renewing or moving
# one resident must withdraw exactly one ID)
pick() {
    tr -d '\r' <"$B1/internal/notices.csv" | awk -F, 'NR>1 {n[$1]++; r[$2]=$1} END {for (id in r) if (n[r[id]] == 1) print id}' >"$SCRATCH/single"
    tr -d '\r' <"$B1/booking/feed.csv" | awk -F, -v n="$1" 'NR==FNR {ok[$1]=1; next}
        FNR>1 && $5 == "01" && $8 == "book" && ok[$1] {if (++k == n) print $1}' "$SCRATCH/single" -
}
R_STAY=$(pick 1); R_RENEW=$(pick 2); R_MOVE=$(pick 3); R_PHONE=$(pick 4)
resident_of() { tr -d '\r' <"$B1/internal/notices.csv" | awk -F, -v r="$1" 'NR>1 && $2 == r {print $1}'; }
field_of() { awk -F, -v id="$1" -v c="$2" '$1 == id {print $c}' "$RES"; }
ID_STAY=$(resident_of "$R_STAY"); ID_RENEW=$(resident_of "$R_RENEW"); ID_MOVE=$(resident_of "$R_MOVE")
check "four residents picked, their resident IDs known inside" \
    test -n "$R_STAY" -a -n "$R_RENEW" -a -n "$R_MOVE" -a -n "$R_PHONE" -a -n "$ID_STAY" -a -n "$ID_RENEW" -a -n "$ID_MOVE"
mmdd() { tr -d '\r' <"$XFER/night1/feed.csv" | awk -F, -v r="$1" '$1 == r {print $6}'; }

serve_start OUT "$STORE" 2026-12-03T10:00
U="$SERVE_URL"
book() { # RID DATE SLOT: the residents' whole flow
    local b; b=$(mmdd "$1")
    new_session; get "$U/R/$1"; get "$U/birthday"
    post "$U/birthday" "bday-month=$((10#${b:0:2}))&bday-day=$((10#${b:2:2}))"
    local next; next=$(location); get "$U$next"
    [ "$next" = /office ] && post "$U/office" "office=main"
    post "$U/date" "date=$2"; post "$U/slot" "slot=$3"; post "$U/check" ""
    [ "$STATUS" = 303 ] && [ "$(location)" = /done ]
}
JAR="$SCRATCH/jar-web"
check "outside: $R_STAY books 12/10 09:00 on the web" book "$R_STAY" 2026-12-10 09:00
check "outside: $R_RENEW books 12/10 10:00" book "$R_RENEW" 2026-12-10 10:00
check "outside: $R_MOVE books 12/10 11:00" book "$R_MOVE" 2026-12-10 11:00
get "$U/R/$(echo "$R_STAY" | cut -c1-11)2"
# staff: an account, a phone booking and an attendance mark
check_exit "staff add on the booking store" 0 bash -c \
    "printf '%s\n%s\n' '$PW' '$PW' | '$BIN' staff --db '$STORE' --config '$CONFIG' add clerk1 --office main"
JAR="$SCRATCH/jar-staff"; : >"$JAR"; CSRF=""
get "$U/staff/login"; post "$U/staff/login" "name=clerk1&password=$(printf '%s' "$PW" | sed 's/ /+/g')"
check_eq "staff login" "303" "$STATUS"
b=$(mmdd "$R_PHONE")
get "$U/staff/phone"
post "$U/staff/phone" "step=book&rid=$R_PHONE&bday-month=$((10#${b:0:2}))&bday-day=$((10#${b:2:2}))&office=main&date=2026-12-10&slot=13:00"
check "staff: a phone booking" grep -q '予約しました' "$BODY"
get "$U/staff/day?office=main&date=2026-12-10"
check "staff's day list outside: the IDs and birth month-days, no name" bash -c \
    "grep -q '${R_STAY:0:4}-${R_STAY:4:4}-${R_STAY:8:4}' '$BODY' && ! grep -q '$(field_of "$ID_STAY" 2)' '$BODY'"
ref=$(sqlite3 "$STORE" "SELECT printf('Y%09d', id) FROM bookings WHERE rid='$R_STAY' AND status='active'")
post "$U/staff/mark" "id=$ref&office=main&date=2026-12-10&mark=arrived"
check_eq "staff: marked arrived" arrived "$(sqlite3 "$STORE" "SELECT attendance FROM bookings WHERE rid='$R_STAY' AND status='active'")"

# ---- the way back: export outside, import inside ------------------------------------------
check_exit "outside: export-bookings --since (everything so far) --out" 0 \
    "$BIN" export-bookings --db "$STORE" --since 2000-01-01 --out "$XFER/bookings-1.csv"
check_eq "the export: four bookings" 4 "$(($(wc -l <"$XFER/bookings-1.csv") - 1))"
check_exit "inside: bookings import" 0 "$BIN" bookings --db "$NIGHT" import "$XFER/bookings-1.csv"
check_exit "inside: bookings import again is idempotent" 0 "$BIN" bookings --db "$NIGHT" import "$XFER/bookings-1.csv"
cp "$SCRATCH/.last" "$SCRATCH/again2.out"
check "  and says unchanged" grep -q unchanged "$SCRATCH/again2.out"
check_eq "inside: the night's copy holds the four, the mark with them" "4 1" \
    "$(sqlite3 "$NIGHT" "SELECT count(*), sum(attendance = 'arrived') FROM bookings WHERE status = 'active'" | tr '|' ' ')"
"$BIN" daylist --db "$NIGHT" --config "$CONFIG" --office main --date 2026-12-10 >"$SCRATCH/day.csv" 2>"$SCRATCH/day.err"
name_stay=$(field_of "$ID_STAY" 2); kana_stay=$(field_of "$ID_STAY" 3); birth_stay=$(field_of "$ID_STAY" 4)
check_eq "daylist (CSV): the header" "time,reservation_id,name,kana,birth_date,status,channel" \
    "$(head -1 "$SCRATCH/day.csv" | tr -d '\r')"
check "daylist: the resident by name, kana, birth date, marked arrived, booked on the web" \
    grep -q "^09:00,${R_STAY:0:4}-${R_STAY:4:4}-${R_STAY:8:4},$name_stay,$kana_stay,$birth_stay,arrived,web" "$SCRATCH/day.csv"
check "daylist: the phone booking says phone" grep -q "^13:00,.*,booked,phone" "$SCRATCH/day.csv"
check_exit "daylist --out x.pdf" 0 "$BIN" daylist --db "$NIGHT" --config "$CONFIG" --office main \
    --date 2026-12-10 --out "$IN/day.pdf"
check "the PDF: A4, the names in its text" bash -c \
    "pdfinfo '$IN/day.pdf' | grep -q 'Page size: *595.* x 841' && pdftotext -layout '$IN/day.pdf' - | grep -q '${name_stay%%　*} .*${name_stay##*　}' &&
     pdftotext '$IN/day.pdf' - | grep -q 'ウェブ' || { pdfinfo '$IN/day.pdf'; pdftotext -layout '$IN/day.pdf' - | head; false; }"
[ -n "${TWOSIDES_KEEP:-}" ] && cp "$IN/day.pdf" "$TWOSIDES_KEEP"
check "the PDF passes qpdf --check" qpdf --check "$IN/day.pdf"
check_exit "daylist --out x.csv" 0 "$BIN" daylist --db "$NIGHT" --config "$CONFIG" --office main \
    --date 2026-12-10 --out "$IN/day.csv"
check "  the same list" cmp "$IN/day.csv" "$SCRATCH/day.csv"

# ---- night 2: one renewed, one moved away ----------------------------------------------------
python3 - "$RES" "$ID_RENEW" "$ID_MOVE" <<'EOF'
import csv, sys
path, renew, move = sys.argv[1:4]
rows = list(csv.reader(open(path, encoding="utf-8")))
for r in rows[1:]:
    if r[0] == renew:   # a renewed certificate: the registry gives a later expiry
        r[9] = r[10] = "2032-02-19" if r[9] else ""
        r[10] = "2032-02-19"
    if r[0] == move:
        r[13] = "moved_out"
csv.writer(open(path, "w", encoding="utf-8", newline=""), lineterminator="\n").writerows(rows)
EOF
check_exit "night 2 inside (2026-12-02)" 0 "$BIN" run --date 2026-12-02 --input "$IN/input" \
    --db "$NIGHT" --out "$IN/out" --config "$CONFIG"
B2="$IN/out/2026-12-02"
check "night 2's feed: the renewed and the moved-away IDs left it, the others stay" bash -c \
    "! grep -q '^$R_RENEW,' '$B2/booking/feed.csv' && ! grep -q '^$R_MOVE,' '$B2/booking/feed.csv' &&
     grep -q '^$R_STAY,' '$B2/booking/feed.csv' && grep -q '^$R_PHONE,' '$B2/booking/feed.csv'"
transfer_out "$B2" night2

# Rows past <booking retention-days> (90): a booking, an audit row and a lockout of 2020.
sqlite3 "$STORE" "INSERT INTO bookings (rid, office, day, start, status, by_whom, created_at, changed_at)
    VALUES ('$R_PHONE', 'main', '2020-01-06', '09:00', 'cancelled', 'web', '2020-01-01 00:00:00', '2020-01-01 00:00:00');
    INSERT INTO audit (at, who, event, detail, client) VALUES ('2020-01-06 09:00:00', 'x', 'login', '', '192.0.2.1');
    INSERT INTO lockouts VALUES ('ip:192.0.2.1', 1, 1577836800, 1577836800);"

# ---- the refusals: each exits 3, names the file and the reason, changes nothing -------------
before=$(dump)
refuse() { # NAME DIR REASON-PATTERN
    check_exit "feed import refuses $1" 3 "$BIN" feed --db "$STORE" --config "$CONFIG" import "$2"
    cp "$SCRATCH/.last" "$SCRATCH/refusal.out"
    check "  naming the file and the reason" grep -q "$2.*$3" "$SCRATCH/refusal.out"
    check_eq "  and changes nothing" "$before" "$(dump)"
}
bad() { rm -rf "${XFER:?}/$1"; cp -r "$XFER/night2" "$XFER/$1"; }
bad tampered; sed -i '2s/,20\([0-9][0-9]\)-/,21\1-/' "$XFER/tampered/feed.csv"
check "(the tampered copy differs from night 2's)" bash -c "! cmp -s '$XFER/tampered/feed.csv' '$XFER/night2/feed.csv'"
refuse "a tampered feed.csv" "$XFER/tampered" "feed.csv: SHA-256 .*truncated, damaged or changed"
bad truncated; head -c 300 "$XFER/night2/feed.csv" >"$XFER/truncated/feed.csv"
refuse "a truncated feed.csv" "$XFER/truncated" "feed.csv: SHA-256"
bad halfjson; head -c 60 "$XFER/night2/feed.json" >"$XFER/halfjson/feed.json"
refuse "a truncated feed.json" "$XFER/halfjson" "feed.json: not a feed.json"
bad foreign; sed -i 's/"見本市"/"春日井市"/' "$XFER/foreign/feed.json"
refuse "another municipality's feed" "$XFER/foreign" "feed.json: the feed of 春日井市"
# a name column added, its feed.json made to match: refused by the column's name
bad named
python3 - "$XFER/named" "$RES" <<'EOF'
import hashlib, json, sys
d, res = sys.argv[1], sys.argv[2]
names = [l.split(",")[1] for l in open(res, encoding="utf-8").read().splitlines()[1:]]
lines = open(f"{d}/feed.csv", "rb").read().decode().split("\r\n")
out = [lines[0] + ",name"] + [l + "," + names[i % len(names)] for i, l in enumerate(lines[1:]) if l]
body = ("\r\n".join(out) + "\r\n").encode()
open(f"{d}/feed.csv", "wb").write(body)
j = json.load(open(f"{d}/feed.json", encoding="utf-8"))
j["sha256"] = hashlib.sha256(body).hexdigest()
json.dump(j, open(f"{d}/feed.json", "w", encoding="utf-8"), ensure_ascii=False)
EOF
refuse "a feed.csv with a name column added" "$XFER/named" "column .name. is personal data"
check_exit "night 2's feed loads" 0 "$BIN" feed --db "$STORE" --config "$CONFIG" import "$XFER/night2"
cp "$SCRATCH/.last" "$SCRATCH/night2.out"
check "  2 withdrawn, their 2 bookings cancelled" bash -c \
    "grep -q ' 2 withdrawn, 2 bookings of withdrawn IDs cancelled' '$SCRATCH/night2.out' || { cat '$SCRATCH/night2.out'; false; }"
check_eq "retention: the 2020 booking, audit row and lockout deleted by the import, nothing newer" "0 0 0 4" \
    "$(sqlite3 "$STORE" "SELECT (SELECT count(*) FROM bookings WHERE day < '2021-01-01'),
        (SELECT count(*) FROM audit WHERE at < '2021-01-01'), (SELECT count(*) FROM lockouts WHERE key = 'ip:192.0.2.1'),
        (SELECT count(*) FROM bookings)" | tr '|' ' ')"
before=$(dump)
refuse "an older batch (night 1 again)" "$XFER/night1" "batch 2026-12-01 (run 1) is older than the one loaded, 2026-12-02"

# ---- outside after night 2 ----------------------------------------------------------------
JAR="$SCRATCH/jar-web2"
for who in RENEW MOVE; do
    var="R_$who"; rid="${!var}"
    new_session; get "$U/R/$rid"
    check "/R/ of the $who ID: cannot be booked, the phone number given" bash -c \
        "grep -q 'この予約IDでは予約できません' '$BODY' && grep -q '0120-000-001' '$BODY'"
    b=$(mmdd "$rid"); get "$U/birthday"
    post "$U/birthday" "bday-month=$((10#${b:0:2}))&bday-day=$((10#${b:2:2}))"
    check "  nor can the birthday page be passed" bash -c "[ '$(location)' != /date ] && [ '$(location)' != /office ]"
    check_eq "  its booking cancelled, reason withdrawn" "cancelled|withdrawn" \
        "$(sqlite3 "$STORE" "SELECT status, reason FROM bookings WHERE rid='$rid'")"
done
check "the staying resident still books" book "$R_STAY" 2026-12-11 09:30
JAR="$SCRATCH/jar-staff"
get "$U/staff/closures?office=main"
check "staff pages: the cancelled bookings of withdrawn IDs are listed for a call" bash -c \
    "grep -q '${R_RENEW:0:4}-${R_RENEW:4:4}-${R_RENEW:8:4}' '$BODY' && grep -q '${R_MOVE:0:4}-${R_MOVE:4:4}-${R_MOVE:8:4}' '$BODY'"
serve_stop OUT
check "serve ran the retention purge on start (and does once a day)" \
    grep -q 'stage=serve msg="retention 90 days: deleted' "$SERVE_LOG_OUT"

last=$(tr -d '\r' <"$XFER/bookings-1.csv" | awk -F, 'NR==2 {print $13}')
check_exit "export-bookings --since the last file's exported_at" 0 \
    "$BIN" export-bookings --db "$STORE" --since "$last" --out "$XFER/bookings-2.csv"
check "  carries the two cancellations with their reason, and the change" bash -c \
    "grep -q ',$R_RENEW,web,cancelled,withdrawn,' '$XFER/bookings-2.csv' && grep -q ',$R_MOVE,web,cancelled,withdrawn,' '$XFER/bookings-2.csv' &&
     grep -q '2026-12-11,09:30,main,$R_STAY,web,active' '$XFER/bookings-2.csv'"
check_exit "inside: bookings import of the second file" 0 "$BIN" bookings --db "$NIGHT" import "$XFER/bookings-2.csv"
check_exit "inside: the first file again is older: refused" 3 "$BIN" bookings --db "$NIGHT" import "$XFER/bookings-1.csv"
cp "$SCRATCH/.last" "$SCRATCH/older.out"
check "  saying so" grep -q 'older than the file loaded last' "$SCRATCH/older.out"
"$BIN" daylist --db "$NIGHT" --config "$CONFIG" --office main --date 2026-12-10 >"$SCRATCH/day2.csv" 2>/dev/null
check "daylist after night 2: the withdrawn bookings are gone from the list" bash -c \
    "! grep -q '${R_RENEW:0:4}-' '$SCRATCH/day2.csv' && ! grep -q '${R_MOVE:0:4}-' '$SCRATCH/day2.csv' && grep -q '^13:00,' '$SCRATCH/day2.csv'"
check_eq "inside: the forecast's history reads the mark (one visit)" 1 \
    "$(sqlite3 "$NIGHT" "SELECT count(*) FROM bookings WHERE attendance IN ('arrived','done')")"

# ---- every byte of the booking store --------------------------------------------------------
sqlite3 "$STORE" .dump >"$SCRATCH/store.sql"
cat "$STORE" "$STORE-wal" >"$SCRATCH/store.raw" 2>/dev/null
python3 - "$RES" "$ROOT/input/sample/residents.csv" "$SCRATCH/store.sql" "$SCRATCH/store.raw" "$SCRATCH/found" <<'EOF'
import csv, sys
res_paths, dump, raw, found = sys.argv[1:3], sys.argv[3], sys.argv[4], sys.argv[5]
needles = set()
for p in res_paths:
    for r in list(csv.reader(open(p, encoding="utf-8")))[1:]:
        rid, name, kana, birth, postal, addr, addr2 = r[:7]
        needles |= {rid, name, kana, birth, birth.replace("-", ""), postal, postal.replace("-", ""), addr}
        if addr2:
            needles.add(addr2)
        needles |= set(name.split("\u3000")) | set(kana.split("\u3000"))  # family and given names alone
needles = {n.encode() for n in needles if len(n.encode()) >= 6}
hits = []
for path in (dump, raw):
    data = open(path, "rb").read()
    hits += [f"{path}: {n.decode()}" for n in sorted(needles) if n in data]
open(found, "w").write("\n".join(hits))
print(len(needles))
EOF
check "the booking store (.dump and the file with its WAL): no name, kana, address, postcode, birth date or resident ID" \
    bash -c "[ ! -s '$SCRATCH/found' ] || { head -5 '$SCRATCH/found'; false; }"
check "and the scan did read the store (it holds the IDs)" grep -q "$R_STAY" "$SCRATCH/store.sql"
cat "$SCRATCH"/serve-*.log >"$SCRATCH/serve.log"
check "the service's log: no name, no birth date" bash -c \
    "! grep -q -e '$name_stay' -e '$birth_stay' '$SCRATCH/serve.log'"

done_testing
