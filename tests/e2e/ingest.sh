#!/usr/bin/env bash
# certnotice ingest: malformed records rejected with their line and field while every good
# record loads; CP932, XML and UTF-8 CSV give the same database; files refused whole;
# a file loads once; folders; exit codes.
source "$(dirname "$0")/lib.sh"
F="$FIXTURES/ingest"
DEMO="$ROOT/templates/municipalities/demo.xml"
RESIDENT_COLUMNS="resident_id,name,name_kana,birth_date,postal_code,address,address2,district,\
card_expiry,sign_cert_expiry,user_cert_expiry,face_auth,adult_ward,hold,status"

sql() { sqlite3 "$1" "$2"; }
# check_exit, keeping the command's output in $SCRATCH/out (check overwrites .last).
check_exit_keep() { check_exit "$@"; cp "$SCRATCH/.last" "$SCRATCH/out"; }
grep_last() { grep -q -- "$1" "$SCRATCH/out"; }
# "line,field" of each reject the command printed (CSV on stdout, CRLF rows).
reject_lines() { tr -d '\r' <"$1" | awk -F, 'NR > 1 && $2 ~ /^[0-9]+$/ { print $2 "," $3 }'; }

# ---- a corpus of malformed records mixed into good ones ----
db="$SCRATCH/mixed.db"
check_exit "mixed.csv: completes with rejects (exit 1)" 1 \
    "$BIN" ingest --db "$db" --config "$DEMO" "$F/mixed.csv"
"$BIN" ingest --db "$SCRATCH/mixed-out.db" --config "$DEMO" "$F/mixed.csv" \
    >"$SCRATCH/mixed.out" 2>"$SCRATCH/mixed.err"
kinds=$(wc -l <"$F/mixed.expected")
check "the corpus holds at least 30 malformed kinds ($kinds)" test "$kinds" -ge 30
check_eq "every bad record is rejected at its line, blaming its field" \
    "$(cat "$F/mixed.expected")" "$(reject_lines "$SCRATCH/mixed.out")"
check_eq "every good record is loaded" "$(cat "$F/mixed.good")" \
    "$(sql "$db" 'select count(*) from residents')"
check_eq "the database keeps the rejects too" "$kinds" "$(sql "$db" 'select count(*) from rejects')"
check_eq "rejects in the database carry line and field" "4|birth_date" \
    "$(sql "$db" "select line, field from rejects order by id limit 1")"
check "the reason names the impossible date" \
    grep -q "4,birth_date,birth_date '2027-02-30' is not a real date" "$SCRATCH/mixed.out"
open_line=$(tail -1 "$F/mixed.expected" | cut -d, -f1)
check "the unterminated quote says where it opened" \
    grep -q "$open_line,record,the quoted field opened on line $open_line is never closed" \
    "$SCRATCH/mixed.out"
check "a resident_id given twice in one file: the later row is rejected" \
    grep -q "resident_id 'G0001' already appears on line 2 of this file" "$SCRATCH/mixed.out"
check "a bidi override in a name: rejected naming the file, line, field and character" \
    grep -q "mixed.csv,125,name,name contains an invisible format character U+202E (RIGHT-TO-LEFT OVERRIDE) at character 3; remove it" \
    "$SCRATCH/mixed.out"
check "a zero-width space in the kana, a BOM inside address2: rejected, named" bash -c \
    "grep -q '128,name_kana,.*U+200B (ZERO WIDTH SPACE)' '$SCRATCH/mixed.out' &&
     grep -q '134,address2,.*U+FEFF (ZERO WIDTH NO-BREAK SPACE)' '$SCRATCH/mixed.out'"
check_eq "names with variation selectors (MJ U+E0102, standard U+FE00) load as written" \
    "辻$(printf '\xf3\xa0\x84\x82')　太郎95|禰$(printf '\xef\xb8\x80')豆子" \
    "$(sql "$SCRATCH/mixed-out.db" "select group_concat(name, '|') from (select name from residents where resident_id in ('G0095', 'G0096') order by resident_id)")"
sqlite3 "$SCRATCH/mixed-out.db" 'select name, name_kana, address, address2 from residents' >"$SCRATCH/texts"
check "no loaded name, kana or address holds a format character (Unicode Cf)" python3 -c "
import sys, unicodedata
bad = [l for l in open(sys.argv[1], encoding='utf-8') if any(unicodedata.category(c) == 'Cf' for c in l)]
sys.exit(1 if bad or not open(sys.argv[1]).read() else 0)" "$SCRATCH/texts"
check_eq "quotes and commas inside a field survive" 'コーポ"見本", 101号' \
    "$(sql "$db" "select address2 from residents where resident_id = 'G0005'")"
check_eq "an empty certificate expiry is stored as none" "" \
    "$(sql "$db" "select ifnull(sign_cert_expiry, '') from residents where resident_id = 'G0007'")"
check_eq "postal codes are stored as 7 digits" "1000012" \
    "$(sql "$db" "select postal_code from residents where resident_id = 'G0001'")"
check "the unknown column is ignored with a warning" grep -qF "('note') is not a contract column" \
    "$SCRATCH/mixed.err"
check "the log carries no reject reason (no personal data)" \
    bash -c "! grep -q '2027-02-30' '$SCRATCH/mixed.err'"

# ---- a file is loaded once ----
check_exit_keep "the same file again is a no-op (exit 0)" 0 \
    "$BIN" ingest --db "$db" --config "$DEMO" "$F/mixed.csv"
check "it says it skipped the file" grep_last "skipped=1"
check_eq "no resident added the second time" "$(cat "$F/mixed.good")" \
    "$(sql "$db" 'select count(*) from residents')"
check_eq "no reject added the second time" "$kinds" "$(sql "$db" 'select count(*) from rejects')"
check_eq "the file is recorded once, with its counts" "1|$(cat "$F/mixed.good")|$kinds" \
    "$(sql "$db" 'select count(*), loaded, rejected from input_files')"

# ---- the same residents as UTF-8 CSV, CP932 CSV and XML ----
mkdir -p "$SCRATCH/cp932/municipalities"
sed 's/input-encoding="utf-8"/input-encoding="cp932"/' "$DEMO" \
    >"$SCRATCH/cp932/municipalities/cp932.xml"
check "the CP932 config says so" grep -q 'input-encoding="cp932"' \
    "$SCRATCH/cp932/municipalities/cp932.xml"
check_exit "UTF-8 CSV loads" 0 "$BIN" ingest --db "$SCRATCH/utf8.db" --config "$DEMO" \
    "$F/people.csv"
check_exit "CP932 CSV loads" 0 "$BIN" ingest --db "$SCRATCH/cp932.db" \
    --config "$SCRATCH/cp932/municipalities/cp932.xml" "$F/people-cp932.csv"
check_exit "XML loads" 0 "$BIN" ingest --db "$SCRATCH/xml.db" --config "$DEMO" "$F/people.xml"
q="select $RESIDENT_COLUMNS from residents order by 1"
utf8=$(sql "$SCRATCH/utf8.db" "$q")
check_eq "five residents from the UTF-8 CSV" 5 "$(echo "$utf8" | wc -l)"
check_eq "CP932 CSV gives the same database content" "$utf8" "$(sql "$SCRATCH/cp932.db" "$q")"
check_eq "XML gives the same database content" "$utf8" "$(sql "$SCRATCH/xml.db" "$q")"
check "CP932 text was converted, not replaced" grep -q "髙橋　吉男" <(sql "$SCRATCH/cp932.db" "$q")
check_exit_keep "the CP932 file read as UTF-8 is rejected record by record" 1 \
    "$BIN" ingest --db "$SCRATCH/wrong-enc.db" --config "$DEMO" "$F/people-cp932.csv"
check "... as invalid UTF-8" grep_last "is not valid UTF-8"

check_exit "CP932 bytes without a character: a reject, not a '?'" 1 "$BIN" ingest \
    --db "$SCRATCH/cpbad.db" --config "$SCRATCH/cp932/municipalities/cp932.xml" \
    "$F/cp932-bad.csv"
check_eq "... at its line and field" "3,address" "$(reject_lines "$SCRATCH/.last")"
check_eq "... and the other records load" "G0001 G0003" \
    "$(sql "$SCRATCH/cpbad.db" 'select resident_id from residents order by 1' | xargs)"

# ---- XML records with problems ----
check_exit "XML with bad records completes with rejects" 1 \
    "$BIN" ingest --db "$SCRATCH/xmlbad.db" --config "$DEMO" "$F/xml-bad.xml"
check_eq "each bad XML record is rejected at its line" "$(cat "$F/xml-bad.expected")" \
    "$(reject_lines "$SCRATCH/.last")"
check_eq "the good XML records load (an MJ name with its variation selector among them)" \
    "G0001 G0003 G0009 G0013" \
    "$(sql "$SCRATCH/xmlbad.db" 'select resident_id from residents order by 1' | xargs)"

# ---- files refused whole ----
refused() { # file, expected message part
    local name="$1" want="$2" rdb="$SCRATCH/refused-${1//\//_}.db"
    check_exit "$name is refused (exit 3)" 3 "$BIN" ingest --db "$rdb" --config "$DEMO" \
        "$F/refused/$name"
    cp "$SCRATCH/.last" "$SCRATCH/refused.out"
    check "$name: the message says why" grep -q -- "$want" "$SCRATCH/refused.out"
    check_eq "$name: nothing of it is loaded" "0|0" \
        "$(sql "$rdb" 'select (select count(*) from residents), (select count(*) from input_files)')"
}
refused missing-hold.csv "lacks required columns: hold"
refused missing-certs.csv "lacks required columns: sign_cert_expiry, user_cert_expiry"
refused my-number.csv "individual number"
refused mynumber-ja.csv "individual number"
refused kojin-bango.csv "individual number"
refused duplicate-column.csv "column 'name' appears twice"
refused empty.csv "the file is empty"
refused xxe.xml "DOCTYPE or entity declarations"
refused billion-laughs.xml "billion laughs"
refused my-number.xml "individual number"
refused not-well-formed.xml "not usable"
refused wrong-root.xml "not usable"
check "the external entity was never read" \
    bash -c "! sqlite3 '$SCRATCH/refused-xxe.xml.db' .dump | grep -q 'root:'"

# ---- folders ----
mkdir -p "$SCRATCH/drop"
cp "$F/xml-bad.xml" "$SCRATCH/drop/b.xml"
cp "$F/people.csv" "$SCRATCH/drop/a.csv"
cp "$F/refused/my-number.csv" "$SCRATCH/drop/.hidden.csv"
echo "not input" >"$SCRATCH/drop/readme.txt"
check_exit_keep "a folder: its CSV and XML files, rejects give exit 1" 1 \
    "$BIN" ingest --db "$SCRATCH/drop.db" --config "$DEMO" "$SCRATCH/drop"
check "... two files, in name order" grep_last "files=2 skipped=0 refused=0 records=18 loaded=9"
check_eq "... a.csv before b.xml" "$SCRATCH/drop/a.csv $SCRATCH/drop/b.xml" \
    "$(sql "$SCRATCH/drop.db" 'select path from input_files order by rowid' | xargs)"
cp "$F/refused/xxe.xml" "$SCRATCH/drop/c.xml"
check_exit_keep "a refused file in the folder: exit 3, the others still counted as loaded" 3 \
    "$BIN" ingest --db "$SCRATCH/drop.db" --config "$DEMO" "$SCRATCH/drop"
# Each of the two differs from the file loaded just before it, so each is loaded again: a
# file is a snapshot, and only one identical to the last file loaded is nothing new.
check "... loaded the two again, each differing from the last file loaded" \
    grep_last "files=3 skipped=0 refused=1"

# ---- a reverted export: A, then B, then A again leaves A's data ----
A="$SCRATCH/export-a.csv" B="$SCRATCH/export-b.csv"
cp "$F/people.csv" "$A"
first_id=$(awk -F, 'NR == 2 {print $1}' "$A")
awk -F, -v OFS=, -v id="$first_id" 'NR > 1 && $1 == id {$6 = "見本市新町9丁目9番9号"} {print}' \
    "$A" >"$B"
check "B changes one resident's address" bash -c "! cmp -s '$A' '$B'"
addr() { sql "$SCRATCH/revert.db" "select address from residents where resident_id = '$first_id'"; }
for f in "$A" "$B" "$A"; do
    "$BIN" ingest --db "$SCRATCH/revert.db" --config "$DEMO" "$f" >/dev/null 2>&1
done
check_eq "A, B, A: the database has A's address again" \
    "$(awk -F, -v id="$first_id" 'NR > 1 && $1 == id {print $6}' "$A")" "$(addr)"
check_eq "all three loads are recorded, in order" \
    "export-a.csv export-b.csv export-a.csv" \
    "$(sql "$SCRATCH/revert.db" 'select path from input_files order by id' | xargs -n1 basename | xargs)"
check_exit_keep "A once more, identical to the last file loaded, is skipped" 0 \
    "$BIN" ingest --db "$SCRATCH/revert.db" --config "$DEMO" "$A"
check "... and says so" grep_last "same as the last file loaded"

# ---- a file that grows while it is read is refused, never recorded under another size ----
G="$SCRATCH/growing.csv"
cp "$F/people.csv" "$G"
# Stopped right after hashing (CERTNOTICE_FAULT_SIGNAL=STOP), the file grows, then it goes on.
CERTNOTICE_FAULT=ingest_hashed CERTNOTICE_FAULT_SIGNAL=STOP "$BIN" ingest --db "$SCRATCH/grow.db" \
    --config "$DEMO" "$G" >"$SCRATCH/grow.out" 2>&1 &
pid=$!
for ((i = 0; i < 3000; i++)); do
    [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" = T ] && break
    sleep 0.02
done
tail -n 1 "$F/people.csv" | sed 's/^G0/H9/' >>"$G"
kill -CONT "$pid"
wait "$pid"
check_eq "a file that grew after it was hashed is refused (exit 3)" 3 "$?"
check "... saying it changed while it was read" grep -q "changed while it was read" "$SCRATCH/grow.out"
check_eq "... nothing of it loaded or recorded" "0 0" \
    "$(sql "$SCRATCH/grow.db" 'select count(*) from residents') $(sql "$SCRATCH/grow.db" 'select count(*) from input_files')"
check_exit "the next run loads it whole" 0 "$BIN" ingest --db "$SCRATCH/grow.db" --config "$DEMO" "$G"
check_eq "... under the checksum of all its bytes" "$(sha256sum "$G" | cut -d' ' -f1)" \
    "$(sql "$SCRATCH/grow.db" 'select sha256 from input_files')"

# ---- one resident in two files of one night, differently: logged, naming both files ----
mkdir -p "$SCRATCH/two"
cp "$F/people.csv" "$SCRATCH/two/1-first.csv"
id1=$(awk -F, 'NR == 2 {print $1}' "$F/people.csv")
id2=$(awk -F, 'NR == 3 {print $1}' "$F/people.csv")
# The second file: resident 1 with another address, resident 2 unchanged.
awk -F, -v OFS=, -v a="$id1" -v b="$id2" 'NR == 1 || $1 == b {print; next} $1 == a {$6 = "見本市東町3丁目3番3号"; print}' \
    "$F/people.csv" >"$SCRATCH/two/2-second.csv"
"$BIN" ingest --db "$SCRATCH/two.db" --config "$DEMO" "$SCRATCH/two" >"$SCRATCH/two.out" 2>&1
check "a resident given differently by two files is logged, naming both" \
    grep -q "resident $id1 is in both $SCRATCH/two/1-first.csv and $SCRATCH/two/2-second.csv with different data" \
    "$SCRATCH/two.out"
check "... one given the same way by both is not" bash -c "! grep -q 'resident $id2 is in both' '$SCRATCH/two.out'"
check_eq "... the later file's record is kept" "見本市東町3丁目3番3号" \
    "$(sql "$SCRATCH/two.db" "select address from residents where resident_id = '$id1'")"

# ---- rejects file, exit codes ----
check_exit "--rejects writes the rejects to a file" 1 "$BIN" ingest --db "$SCRATCH/r.db" \
    --config "$DEMO" --rejects "$SCRATCH/rejects.csv" "$F/xml-bad.xml"
check_eq "... readable only by its owner" "600" "$(stat -c %a "$SCRATCH/rejects.csv")"
check_eq "... one row per reject and a header" 10 "$(wc -l <"$SCRATCH/rejects.csv")"
check_exit "no file: usage (exit 2)" 2 "$BIN" ingest --db "$SCRATCH/u.db"
check_exit "unknown option: usage (exit 2)" 2 "$BIN" ingest --bogus x "$F/people.csv"
check_exit "missing config: exit 2" 2 "$BIN" ingest --config "$SCRATCH/none.xml" "$F/people.csv"
check_exit "a file that does not exist: exit 3" 3 "$BIN" ingest --db "$SCRATCH/n.db" \
    --config "$DEMO" "$SCRATCH/nothing.csv"
check_exit "the default database is certnotice.db in the current folder" 0 \
    bash -c "cd '$SCRATCH' && '$BIN' ingest --config '$DEMO' '$F/people.csv' && test -s certnotice.db"

done_testing
