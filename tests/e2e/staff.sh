#!/usr/bin/env bash
# The counter's side: staff accounts on the command line (passwords asked twice, never in
# argv, not echoed on a terminal, a minimum length, the audit); the staff pages over HTTP
# (login, lockout, session cookie, idle expiry and the 10-hour lifetime by restarting with a
# later --now, logout,
# CSRF, other offices, the day list with birth month-days and no names, CSV, marks, phone bookings, closures and
# seats honoured by the residents' pages too, --staff-listen); the audit and the report;
# no personal data in the service's log. pg_staff.sh runs it on PostgreSQL (the store read
# through store_sql and its kin, helpers/serve.sh).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/helpers/serve.sh"
DATE=2026-12-01
W="$SCRATCH/w"; mkdir -p "$W"
DB="$W/cn.db"
sample_night "$DB"
PW_MAIN='main counter pass 1'
PW_ALL='call centre pass 22'
staff() { "$BIN" staff --db "$DB" --config "$CONFIG" "$@"; }

# ---- accounts on the command line ------------------------------------------------------
check_exit "staff add (password twice on stdin)" 0 \
    bash -c "printf '%s\n%s\n' '$PW_MAIN' '$PW_MAIN' | $BIN staff --db '$DB' --config '$CONFIG' add clerk1 --office main"
check_exit "staff add --all" 0 \
    bash -c "printf '%s\n%s\n' '$PW_ALL' '$PW_ALL' | $BIN staff --db '$DB' --config '$CONFIG' add callcentre --all"
printf 'north office pw 1\nnorth office pw 1\n' | staff add clerk2 --office north >/dev/null 2>&1
check_exit "staff add: a name taken already" 2 \
    bash -c "printf 'abcdefghijklmn\nabcdefghijklmn\n' | $BIN staff --db '$DB' --config '$CONFIG' add clerk1 --office main"
check_exit "staff add: two different passwords refused" 2 \
    bash -c "printf 'abcdefghijklmn\nabcdefghijklmX\n' | $BIN staff --db '$DB' --config '$CONFIG' add clerk9 --office main"
check_exit "staff add: a password shorter than 12 characters refused" 2 \
    bash -c "printf 'short pw\nshort pw\n' | $BIN staff --db '$DB' --config '$CONFIG' add clerk9 --office main"
check_exit "staff add: the password asked once only (end of input) refused" 2 \
    bash -c "printf 'abcdefghijklmn\n' | $BIN staff --db '$DB' --config '$CONFIG' add clerk9 --office main"
check_exit "staff add: an office the config does not have" 2 \
    bash -c "printf 'abcdefghijklmn\nabcdefghijklmn\n' | $BIN staff --db '$DB' --config '$CONFIG' add clerk9 --office nowhere"
check_exit "staff add: neither --office nor --all" 2 staff add clerk9 </dev/null
check_exit "staff add: a password in argv is refused as an argument" 2 \
    staff add clerk9 --office main 'abcdefghijklmn'
check_exit "staff add: a name with capitals or spaces refused" 2 staff add 'Bad Name' --office main </dev/null
staff list >"$SCRATCH/list" 2>&1
check "staff list: the three accounts with their offices, no hash" bash -c \
    "grep -Eq '^callcentre +\(all\)' '$SCRATCH/list' && grep -Eq '^clerk1 +main' '$SCRATCH/list' &&
     grep -Eq '^clerk2 +north' '$SCRATCH/list' && ! grep -q argon2 '$SCRATCH/list' && ! grep -q clerk9 '$SCRATCH/list'"
hash1=$(store_sql "$DB" "SELECT hash FROM staff WHERE name='clerk1'")
mapfile -t store_files_now < <(store_files "$DB")
check "the database keeps an Argon2id hash, never the password (in no file of the store)" bash -c \
    "[[ '$hash1' == '\$argon2id\$'* ]] && [ ${#store_files_now[@]} -ge 1 ] &&
     { grep -raq '$PW_MAIN' ${store_files_now[*]}; [ \$? -eq 1 ]; }"

# The password is never in the process's arguments: look at them while it waits for it.
mkfifo "$SCRATCH/pwpipe"
"$BIN" staff --db "$DB" --config "$CONFIG" passwd clerk2 <"$SCRATCH/pwpipe" >/dev/null 2>&1 &
pw_pid=$!
exec 7>"$SCRATCH/pwpipe"
sleep 0.3
tr '\0' ' ' <"/proc/$pw_pid/cmdline" >"$SCRATCH/cmdline" 2>/dev/null
printf 'north office pw 2\nnorth office pw 2\n' >&7
exec 7>&-
wait "$pw_pid"; pw_rc=$?
check_eq "staff passwd from stdin" 0 "$pw_rc"
check "staff passwd: the running command's arguments hold no password" bash -c \
    "grep -q 'passwd clerk2' '$SCRATCH/cmdline' && ! grep -q 'north office' '$SCRATCH/cmdline'"

# On a terminal: asked twice, nothing echoed.
python3 - "$BIN" "$DB" "$CONFIG" >"$SCRATCH/tty.out" 2>&1 <<'PY'
import os, pty, select, sys, time
binp, db, cfg = sys.argv[1:4]
pid, fd = pty.fork()
if pid == 0:
    os.execv(binp, [binp, "staff", "--db", db, "--config", cfg, "passwd", "clerk2"])
out = b""
def read_until(word, t=20):
    global out
    end = time.time() + t
    while word not in out and time.time() < end:
        if not select.select([fd], [], [], 1)[0]:
            continue
        try:
            out += os.read(fd, 1024)
        except OSError:
            break
read_until(b"New password:")
os.write(fd, b"tty typed secret 3\n")
read_until(b"Again:")
os.write(fd, b"tty typed secret 3\n")
read_until(b"certnotice staff: passwd clerk2")
for _ in range(100):
    done, status = os.waitpid(pid, os.WNOHANG)
    if done:
        break
    time.sleep(0.1)
else:
    os.kill(pid, 9)
    _, status = os.waitpid(pid, 0)
sys.stdout.write(out.decode(errors="replace"))
print("\nEXIT", os.waitstatus_to_exitcode(status))
PY
check "on a terminal: asked twice, not echoed, changed" bash -c \
    "grep -q 'New password:' '$SCRATCH/tty.out' && grep -q 'Again:' '$SCRATCH/tty.out' &&
     grep -q 'EXIT 0' '$SCRATCH/tty.out' && ! grep -q 'tty typed' '$SCRATCH/tty.out'"

printf 'north office pw 9\nnorth office pw 9\n' | staff add clerk3 --office north >/dev/null 2>&1
printf 'locked out pw 1\nlocked out pw 1\n' | staff add locky --office main >/dev/null 2>&1
check_exit "staff remove" 0 staff remove clerk2
check_exit "staff remove: no such account" 2 staff remove clerk2
check_exit "staff passwd: no such account" 2 bash -c \
    "printf 'abcdefghijklmn\nabcdefghijklmn\n' | $BIN staff --db '$DB' passwd nobody"
if sqlite_only "a missing file (PostgreSQL: a database the server does not have, next)"; then
    check_exit "staff list on a database that does not exist" 3 "$BIN" staff --db "$W/none.db" list
else
    check_exit "staff list on a database the server does not have: refused" 2 \
        "$BIN" staff --db "${PG_URI%/*}/no_such_database" list
fi
check "staff list no longer shows the removed account" bash -c "! staff list | grep -q clerk2"

"$BIN" report --db "$(store_where "$DB")" >"$SCRATCH/report" 2>&1
check "report: the audit shows the account changes, who ran them, from the CLI" bash -c \
    "grep -Eq 'cli:[^ ]+ +staff remove +cli +account clerk2' '$SCRATCH/report' &&
     grep -Eq 'staff passwd +cli +account clerk2' '$SCRATCH/report' &&
     grep -Eq 'staff add +cli +account callcentre office \*' '$SCRATCH/report'"
check "report: no password in the audit" bash -c "! grep -Eq 'main counter|call centre pass|north office pw|tty typed' '$SCRATCH/report'"

# ---- the staff pages -------------------------------------------------------------------
B="$W/out/$DATE"
rid_of() { rid_in_district "$B" "$ROOT/input/sample/residents.csv" "$@"; }
bday_of() { bday_of_rid "$B" "$ROOT/input/sample/residents.csv" "$1"; }
NOW=2026-12-03T10:00
DAY=2026-12-10
# The residents' date page keeps an office's seat tally for a minute here: staff changes on
# the node must drop it (the closures below are seen by residents at once).
sed 's/<booking /<booking seats-cache-ms="60000" /' "$CONFIG" >"$SCRATCH/kept.xml"
CONFIG="$SCRATCH/kept.xml"
# staff_start NAME NOW [--staff-listen]: the service; STAFF_URL (and PUBLIC_URL).
staff_start() {
    local name="$1" now="$2" port sport="" i
    port=$(free_port)
    local args=(serve --config "$CONFIG" --db "$DB" --listen "127.0.0.1:$port" --now "$now")
    if [ "${3:-}" = "--staff-listen" ]; then sport=$(free_port); args+=(--staff-listen "127.0.0.1:$sport"); fi
    local log="$SCRATCH/serve-$name.log"
    "$BIN" "${args[@]}" >"$log" 2>&1 &
    printf -v "SERVE_PID_$name" '%s' "$!"
    printf -v "SERVE_LOG_$name" '%s' "$log"
    SERVE_NAMES+=("$name")
    PUBLIC_URL="http://127.0.0.1:$port"
    STAFF_URL="http://127.0.0.1:${sport:-$port}"
    for i in $(seq 100); do
        curl -s -o /dev/null "$STAFF_URL/style.css" && return 0
        sleep 0.1
    done
    echo "# serve $name did not start"; sed 's/^/# /' "$log"; return 1
}
# as ACCOUNT: use that account's cookie jar from now on.
as() { JAR="$SCRATCH/jar-$1"; touch "$JAR"; CSRF=""; }
# login NAME PASSWORD: the login page, then the form with its token.
login() {
    get "$STAFF_URL/staff/login"
    post "$STAFF_URL/staff/login" "name=$1&password=$(printf '%s' "$2" | sed 's/ /+/g')"
}

staff_start S "$NOW"
U="$STAFF_URL"
as nobody
get "$U/staff/day"
check_eq "no session: the day list sends to the login page" "303 /staff/login" "$STATUS $(location)"
get "$U/staff/login"
check_eq "the login page" 200 "$STATUS"
check "the login page: security headers" has_security_headers
check "the login page: a login token cookie for /staff, HttpOnly, Secure, SameSite=Strict" \
    grep -qi '^set-cookie: cn_staff_login=[0-9a-f]\{64\}; Path=/staff; HttpOnly; Secure; SameSite=Strict' "$HEAD"
curl -s -D "$HEAD" -o "$BODY" -b "$JAR" --data "name=clerk1&password=x" "$U/staff/login"; _took
check_eq "login without a CSRF token: 403" 403 "$STATUS"
curl -s -D "$HEAD" -o "$BODY" -b "$JAR" --data "csrf=$(printf '%064d' 0)&name=clerk1&password=x" "$U/staff/login"; _took
check_eq "login with a wrong CSRF token: 403" 403 "$STATUS"
curl -s -D "$HEAD" -o "$BODY" -H 'Cookie: cn_staff_login=' \
    --data "csrf=&name=clerk1&password=$(printf '%s' "$PW_MAIN" | sed 's/ /+/g')" "$U/staff/login"; _took
check_eq "login with an empty login cookie and an empty token, the right password: 403" 403 "$STATUS"
curl -s -D "$HEAD" -o "$BODY" -H 'Cookie: cn_staff_login=abc' \
    --data "csrf=abc&name=clerk1&password=$(printf '%s' "$PW_MAIN" | sed 's/ /+/g')" "$U/staff/login"; _took
check_eq "login with a short token equal in cookie and form: 403" 403 "$STATUS"
curl -s -D "$HEAD" -o "$BODY" -b "$JAR" -c "$JAR" --data "csrf=$CSRF&name=clerk1" "$U/staff/day"; _took
check_eq "a staff POST without a session: 403" 403 "$STATUS"

as locky
for i in 1 2 3 4; do login locky "wrong password $i"; done
check "a wrong password: the form again with an error" bash -c "[ $STATUS = 200 ] && grep -q '職員IDかパスワードが正しくありません' '$BODY'"
login locky "wrong password 5"
check_eq "the 5th wrong password locks the account: 429" 429 "$STATUS"
login locky "locked out pw 1"
check "locked: even the right password is refused" bash -c "[ $STATUS = 429 ] && ! grep -qi '^set-cookie: cn_staff=' '$HEAD'"
as nosuch
login nosuch "whatever password"
check "an unknown account: the same error as a wrong password" grep -q '職員IDかパスワードが正しくありません' "$BODY"

as clerk1
login clerk1 "$PW_MAIN"
check_eq "login: redirected to the day list" "303 /staff/day" "$STATUS $(location)"
check "the session cookie: 256-bit token, Path=/staff, HttpOnly, Secure, SameSite=Strict" \
    grep -qi '^set-cookie: cn_staff=[0-9a-f]\{64\}; Path=/staff; HttpOnly; Secure; SameSite=Strict' "$HEAD"
token=$(awk '$6 == "cn_staff" {print $7}' "$JAR")
store_sql "$DB" 'SELECT digest, csrf FROM staff_sessions' >"$SCRATCH/staff_sessions"
check "the database keeps the token's digest only" bash -c \
    "[ -n '$token' ] && [ \$(wc -l <'$SCRATCH/staff_sessions') -ge 1 ] &&
     ! grep -q '$token' '$SCRATCH/staff_sessions'"

# phone booking by the call centre, for a caller of district 01 (main)
R1=$(rid_of 01 1); BD1=$(bday_of "$R1"); M1=$((10#${BD1:0:2})); D1=$((10#${BD1:2:2}))
R2=$(rid_of 01 2); BD2=$(bday_of "$R2")
as callcentre
login callcentre "$PW_ALL"
get "$U/staff/phone"
post "$U/staff/phone" "step=find&rid=$R1&bday-month=$M1&bday-day=$((D1 % 28 + 1))"
check "phone: a wrong birthday is refused" grep -q '誕生日が一致しません' "$BODY"
post "$U/staff/phone" "step=find&rid=$R1&bday-month=$M1&bday-day=$D1"
check "phone: ID and birthday found the caller, no booking yet" grep -q '今の予約.*なし' "$BODY"
# fw N: N in full-width digits, %-encoded, as a Japanese keyboard types it
fw() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote("".join(chr(0xFF10 + int(c)) for c in sys.argv[1])))' "$1"; }
post "$U/staff/phone" "step=find&rid=$R1&bday-month=$(fw "$M1")&bday-day=$(fw "$D1")"
check "phone: a birthday in full-width digits is read as the residents' pages read it" \
    grep -q '今の予約.*なし' "$BODY"
post "$U/staff/phone" "step=day&rid=$R1&bday-month=$M1&bday-day=$D1&office=main&date=$DAY"
check "phone: the day's slots with seats left" grep -q 'value="09:00".*残り2人' "$BODY"
post "$U/staff/phone" "step=book&rid=$R1&bday-month=$M1&bday-day=$D1&office=main&date=$DAY&slot=09:00"
check "phone: booked, the reference shown" grep -q '予約しました' "$BODY"
check_eq "phone: the booking records the staff account in by_whom" "callcentre|09:00|active" \
    "$(store_sql "$DB" "SELECT by_whom, start, status FROM bookings WHERE rid='$R1'")"
post "$U/staff/phone" "step=book&rid=$R1&bday-month=$M1&bday-day=$D1&office=main&date=$DAY&slot=09:30"
check_eq "phone: a change moves the one booking (same rules, one active per ID)" "callcentre|09:30" \
    "$(store_sql "$DB" "SELECT by_whom, start FROM bookings WHERE rid='$R1' AND status='active'")"
post "$U/staff/phone" "step=book&rid=$R1&bday-month=$M1&bday-day=$D1&office=main&date=2026-12-03&slot=13:00"
check "phone: the cutoff applies as on the residents' pages (today is too late)" \
    grep -q 'その時間は予約できません' "$BODY"
M2=$((10#${BD2:0:2})); D2=$((10#${BD2:2:2}))
post "$U/staff/phone" "step=book&rid=$R2&bday-month=$M2&bday-day=$D2&office=main&date=$DAY&slot=11:00"
id2=$(store_sql "$DB" "SELECT id FROM bookings WHERE rid='$R2' AND status='active'")
post "$U/staff/phone" "step=cancel&rid=$R2&bday-month=$M2&bday-day=$D2&id=$id2"
check_eq "phone: cancel for a caller" "cancelled" "$(store_sql "$DB" "SELECT status FROM bookings WHERE id=$id2")"
post "$U/staff/phone" "step=book&rid=$R2&bday-month=$M2&bday-day=$D2&office=main&date=$DAY&slot=11:00"
# One office rule on every path: a main clerk neither sees nor replaces a north booking.
R4=$(rid_of 02 1); BD4=$(bday_of "$R4"); M4=$((10#${BD4:0:2})); D4=$((10#${BD4:2:2}))
post "$U/staff/phone" "step=book&rid=$R4&bday-month=$M4&bday-day=$D4&office=north&date=$DAY&slot=09:00"
north4=$(store_sql "$DB" "SELECT id FROM bookings WHERE rid='$R4' AND status='active' AND office='north'")
check "phone: the call centre books a district 02 caller at north" test -n "$north4"
as clerk1
get "$U/staff/phone"
post "$U/staff/phone" "step=find&rid=$R4&bday-month=$M4&bday-day=$D4"
check "phone: a main clerk's find says there is another office's booking, not which" bash -c \
    "grep -q 'ほかの窓口の予約があります' '$BODY' && ! grep -q '北部出張所' '$BODY' &&
     ! grep -q \"Y0*$north4<\|Y0*$north4）\" '$BODY' && ! grep -q '12月10日' '$BODY'"
check "phone: ... and offers no form to book over it or cancel it" bash -c \
    "! grep -q 'value=\"day\"' '$BODY' && ! grep -q 'value=\"cancel\"' '$BODY'"
post "$U/staff/phone" "step=book&rid=$R4&bday-month=$M4&bday-day=$D4&office=main&date=$DAY&slot=10:00"
check_eq "phone: a main clerk's booking that would replace the north booking: 403" 403 "$STATUS"
post "$U/staff/phone" "step=cancel&rid=$R4&bday-month=$M4&bday-day=$D4&id=$north4"
check_eq "phone: ... and its cancel: 403" 403 "$STATUS"
check_eq "phone: the north booking stays as it was" "north|09:00|active" \
    "$(store_sql "$DB" "SELECT office, start, status FROM bookings WHERE id=$north4")"
check_eq "phone: and it is the caller's only active booking" 1 \
    "$(store_sql "$DB" "SELECT count(*) FROM bookings WHERE rid='$R4' AND status='active'")"

# the day list
as clerk1
name1=$(sqlite3 "$NIGHT_DB" "SELECT p.name FROM residents p JOIN notices n ON n.resident_id=p.resident_id WHERE n.rid='$R1'")
kana1=$(sqlite3 "$NIGHT_DB" "SELECT p.name_kana FROM residents p JOIN notices n ON n.resident_id=p.resident_id WHERE n.rid='$R1'")
birth1=$(sqlite3 "$NIGHT_DB" "SELECT p.birth_date FROM residents p JOIN notices n ON n.resident_id=p.resident_id WHERE n.rid='$R1'")
disp1="${R1:0:4}-${R1:4:4}-${R1:8:4}"
get "$U/staff/day?office=main&date=$DAY"
check "day list: time, ID as XXXX-XXXX-XXXX, birth month and day, phone, and no name" bash -c \
    "grep -q '<td>09:30</td><td class=\"rid\">$disp1</td><td>$((10#${BD1:0:2}))月$((10#${BD1:2:2}))日</td><td>電話' '$BODY' &&
     grep -q 'callcentre' '$BODY' && ! grep -q -e '$name1' -e '$kana1' -e '$birth1' '$BODY'"
get "$U/staff/day"
check "day list: today by default in the config's time zone" grep -q '2026年12月3日（木）' "$BODY"
as clerk3
login clerk3 "north office pw 9"
get "$U/staff/day?office=main&date=$DAY"
check "day list: another office's staff get 403 and no name" bash -c "[ $STATUS = 403 ] && ! grep -q '$name1' '$BODY'"
get "$U/staff/day.csv?office=main&date=$DAY"
check_eq "CSV: another office's staff get 403" 403 "$STATUS"
get "$U/staff/day?date=$DAY"
check "day list: north staff see their own office, without main's names" bash -c \
    "[ $STATUS = 200 ] && grep -q '北部出張所' '$BODY' && ! grep -q '$name1' '$BODY'"
as clerk1
get "$U/staff/day.csv?office=main&date=$DAY"
check "CSV: a download with a header and the booking, no name" bash -c \
    "grep -qi '^content-type: text/csv' '$HEAD' && grep -qi 'attachment; filename=\"bookings-main-$DAY.csv\"' '$HEAD' &&
     head -1 '$BODY' | grep -q '^time,reservation_id,birth_month_day,attendance,channel,booked_by,reference' &&
     grep -q '^09:30,$disp1,${BD1:0:2}-${BD1:2:2},,phone,callcentre,' '$BODY' && ! grep -q '$name1' '$BODY'"

get "$U/staff/day?office=main&date=$DAY"
ref1=Y$(printf %09d "$(store_sql "$DB" "SELECT id FROM bookings WHERE rid='$R1' AND status='active'")")
post "$U/staff/mark" "id=$ref1&office=main&date=$DAY&mark=arrived"
check_eq "mark arrived: back to the list" "303 /staff/day?office=main&date=$DAY" "$STATUS $(location)"
check_eq "mark: attendance and attended_at on the booking" "arrived|1" \
    "$(store_sql "$DB" "SELECT attendance, CASE WHEN attended_at IS NULL THEN 0 ELSE 1 END FROM bookings WHERE rid='$R1' AND status='active'")"
post "$U/staff/mark" "id=$ref1&office=main&date=$DAY&mark=done"
check_eq "mark done" done "$(store_sql "$DB" "SELECT attendance FROM bookings WHERE rid='$R1' AND status='active'")"
curl -s -D "$HEAD" -o "$BODY" -b "$JAR" --data "id=$ref1&office=main&date=$DAY&mark=no_show" "$U/staff/mark"; _took
check_eq "mark without a CSRF token: 403" 403 "$STATUS"
curl -s -D "$HEAD" -o "$BODY" -b "$JAR" --data "csrf=${CSRF//?/0}&id=$ref1&office=main&date=$DAY&mark=no_show" "$U/staff/mark"; _took
check_eq "mark with a wrong CSRF token: 403" 403 "$STATUS"
check_eq "no mark was made by the refused POSTs" done "$(store_sql "$DB" "SELECT attendance FROM bookings WHERE rid='$R1' AND status='active'")"
as clerk3
get "$U/staff/day"
post "$U/staff/mark" "id=$ref1&office=main&date=$DAY&mark=no_show"
check_eq "mark on another office's booking: 403" 403 "$STATUS"

# closures and seats, after a resident's date page has kept the office's tally
R3=$(rid_of 01 3); BD3=$(bday_of "$R3")
as resident
get "$PUBLIC_URL/R/$R3"
get "$PUBLIC_URL/birthday"
post "$PUBLIC_URL/birthday" "bday-month=$((10#${BD3:0:2}))&bday-day=$((10#${BD3:2:2}))"
get "$PUBLIC_URL/date"
check "resident, before the staff's changes: 2026-12-11 offered" bash -c \
    "grep -q 'value=\"2026-12-11\"' '$BODY' && ! grep -q 'value=\"2026-12-11\" disabled' '$BODY'"
as clerk1
get "$U/staff/closures"
post "$U/staff/close" "office=main&date=$DAY&from=09:00&to=10:00&reason=%E5%81%9C%E9%9B%BB"
check "closure: the bookings it hits are counted and listed for a call" bash -c \
    "grep -q 'かかった予約 1 件' '$BODY' && grep -q '$ref1' '$BODY' && grep -q '$disp1' '$BODY'"
check_eq "closure: the hit booking stays active and is flagged" "active|1" \
    "$(store_sql "$DB" "SELECT status, CASE WHEN closure_id IS NULL THEN 0 ELSE 1 END FROM bookings WHERE rid='$R1' AND status='active'")"
get "$U/staff/day?office=main&date=$DAY"
check "day list: the hit booking says call" grep -q '休止：要連絡' "$BODY"
post "$U/staff/close" "office=main&date=$DAY&from=10:00&to=09:00&reason=x"
check "closure: an end before the start is refused" grep -q '終了を開始より後に' "$BODY"
post "$U/staff/close" "office=north&date=$DAY&reason=x"
check_eq "closure at another office: 403" 403 "$STATUS"
post "$U/staff/seats" "office=main&first=2026-12-11&last=2026-12-11&seats=$(fw 3)"
check_eq "seats: full-width digits are a number too" "3" \
    "$(store_sql "$DB" "SELECT seats FROM seat_changes WHERE office='main' ORDER BY id DESC LIMIT 1")"
post "$U/staff/seats" "office=main&first=2026-12-11&last=2026-12-11&seats=0"
check "seats: changed" grep -q '定員を変えました' "$BODY"
as callcentre
get "$U/staff/phone"
post "$U/staff/phone" "step=day&rid=$R1&bday-month=$M1&bday-day=$D1&office=main&date=$DAY"
check "phone: closed slots show as closed, others stay open" bash -c \
    "grep -q 'value=\"09:00\" disabled.*休止' '$BODY' && grep -q 'value=\"10:00\".*残り2人' '$BODY'"
post "$U/staff/phone" "step=day&rid=$R1&bday-month=$M1&bday-day=$D1&office=main&date=2026-12-11"
check "phone: a day with 0 seats is full" bash -c "grep -q '満席' '$BODY' && ! grep -q '残り' '$BODY'"
post "$U/staff/phone" "step=book&rid=$R1&bday-month=$M1&bday-day=$D1&office=main&date=$DAY&slot=09:00"
check "phone: a closed slot cannot be booked" grep -q 'その時間は予約できません' "$BODY"
# the residents' pages honour both, at once (the kept tally was dropped)
as resident
get "$PUBLIC_URL/R/$R3"
get "$PUBLIC_URL/birthday"
post "$PUBLIC_URL/birthday" "bday-month=$((10#${BD3:0:2}))&bday-day=$((10#${BD3:2:2}))"
get "$PUBLIC_URL/date"
check "resident: the day with 0 seats is full, the closed day still offered" bash -c \
    "grep -q 'value=\"2026-12-11\" disabled' '$BODY' && grep -q 'value=\"$DAY\"' '$BODY' && ! grep -q 'value=\"$DAY\" disabled' '$BODY'"
post "$PUBLIC_URL/date" "date=$DAY"
get "$PUBLIC_URL/slot"
check "resident: the closed slots are not offered, the others are" bash -c \
    "! grep -q 'value=\"09:00\"' '$BODY' && ! grep -q 'value=\"09:30\"' '$BODY' && grep -q 'value=\"10:00\"' '$BODY'"
post "$PUBLIC_URL/slot" "slot=09:00"
check "resident: a POST for a closed slot is refused" grep -q '予約できません' "$BODY"

# logout and idle expiry
as clerk1
get "$U/staff/day"
post "$U/staff/logout" ""
check_eq "logout: back to the login page" "303 /staff/login" "$STATUS $(location)"
check "logout: the cookie is cleared" grep -qi '^set-cookie: cn_staff=; Max-Age=0' "$HEAD"
curl -s -D "$HEAD" -o "$BODY" -H "Cookie: cn_staff=$token" "$U/staff/day"; _took
check_eq "logout: the old token is worth nothing" "303 /staff/login" "$STATUS $(location)"
login clerk1 "$PW_MAIN"
serve_stop S
staff_start S2 2026-12-03T10:29
get "$STAFF_URL/staff/day"
check_eq "29 minutes idle: still logged in" 200 "$STATUS"
serve_stop S2
staff_start S3 2026-12-03T11:00
get "$STAFF_URL/staff/day"
check_eq "31 minutes idle: the session has ended" "303 /staff/login" "$STATUS $(location)"
serve_stop S3
staff_start S4 2026-12-03T10:20
as locky
login locky "locked out pw 1"
check_eq "the account lock ends after its time (15 minutes)" "303 /staff/day" "$STATUS $(location)"
serve_stop S4

# the counter on its own listener
staff_start L 2026-12-03T12:00 --staff-listen
curl -s -o /dev/null -w '%{http_code}' "$PUBLIC_URL/staff/login" >"$SCRATCH/code"
check_eq "--staff-listen: /staff on the public listener is 404" 404 "$(cat "$SCRATCH/code")"
curl -s -o /dev/null -w '%{http_code}' "$STAFF_URL/staff/login" >"$SCRATCH/code"
check_eq "--staff-listen: the login page on the staff listener" 200 "$(cat "$SCRATCH/code")"
curl -s -o /dev/null -w '%{http_code}' "$STAFF_URL/R/$R1" >"$SCRATCH/code"
check_eq "--staff-listen: the residents' pages are not on the staff listener" 404 "$(cat "$SCRATCH/code")"
curl -s -o /dev/null -w '%{http_code}' "$PUBLIC_URL/R/$R1" >"$SCRATCH/code"
check_eq "--staff-listen: the residents' pages stay on the public one" 200 "$(cat "$SCRATCH/code")"
serve_stop L

# the audit
store_sql "$DB" "SELECT who || '|' || event || '|' || client FROM audit" >"$SCRATCH/audit"
# audit_has LINE...: every line is a row of the audit (who|event|client)
audit_has() { local l; for l; do grep -qx "$l" "$SCRATCH/audit" || return 1; done; }
check "audit: login, failed login, logout" \
    audit_has 'clerk1|login|127.0.0.1' 'locky|login failed|127.0.0.1' 'clerk1|logout|127.0.0.1'
check "audit: mark, phone book/change/cancel, closure, capacity, CSV, viewing a day list" \
    audit_has 'clerk1|mark|127.0.0.1' 'callcentre|phone book|127.0.0.1' \
    'callcentre|phone change|127.0.0.1' 'callcentre|phone cancel|127.0.0.1' \
    'clerk1|closure|127.0.0.1' 'clerk1|capacity|127.0.0.1' 'clerk1|day csv|127.0.0.1' \
    'clerk1|day list|127.0.0.1'
store_sql "$DB" 'SELECT * FROM audit' >"$SCRATCH/audit.all"
check "audit: no resident's name or birth date in it" bash -c \
    "[ -s '$SCRATCH/audit.all' ] && ! grep -q -e '$name1' -e '$kana1' -e '$birth1' '$SCRATCH/audit.all'"
"$BIN" report --db "$(store_where "$DB")" >"$SCRATCH/report2" 2>&1
check "report: the latest staff actions" bash -c \
    "grep -Eq 'clerk1 +logout +127.0.0.1' '$SCRATCH/report2' && grep -Eq 'clerk1 +closure +127.0.0.1 +main $DAY 09:00-10:00 hits 1' '$SCRATCH/report2'"
# the absolute lifetime: a session kept busy (a page every 29 minutes, never idle for 30)
# still ends 10 hours after its login, at the login page
as clerk1
staff_start T0 2026-12-04T08:00
login clerk1 "$PW_MAIN"
serve_stop T0
busy=""
for k in $(seq 1 20); do
    m=$((8 * 60 + 29 * k)); t=$(printf '2026-12-04T%02d:%02d' $((m / 60)) $((m % 60)))
    staff_start T "$t"; get "$STAFF_URL/staff/closures"; serve_stop T
    [ "$STATUS" = 200 ] || busy+=" $t:$STATUS"
done
check_eq "kept busy: still logged in at every page up to 17:40 (9 h 40 min)" "" "$busy"
staff_start T 2026-12-04T18:01
get "$STAFF_URL/staff/closures"
check_eq "10 hours after the login, though last seen 21 minutes ago: the login page" \
    "303 /staff/login" "$STATUS $(location)"
serve_stop T
staff_start T 2026-12-04T18:02
login clerk1 "$PW_MAIN"
check_eq "... and a new login works" "303 /staff/day" "$STATUS $(location)"
serve_stop T

# ---- logins in parallel: each attempt is counted before the password is checked ------------
# A copy of the database without the lockouts so far, on a server of its own.
store_copy "$DB" "$W/burst.db"
store_sql "$W/burst.db" "DELETE FROM lockouts; DELETE FROM audit"
saved_db="$DB"; DB="$W/burst.db"
staff_start BURST "$NOW"
DB="$saved_db"
BJ="$SCRATCH/burstjar"
burst_token() { # a login cookie and its form token, shared by the burst (double submit)
    : >"$BJ"
    curl -s -c "$BJ" -o "$SCRATCH/bl.body" "$STAFF_URL/staff/login"
    grep -o 'name="csrf" value="[0-9a-f]*"' "$SCRATCH/bl.body" | head -1 | cut -d'"' -f4
}
bt=$(burst_token)
seq 64 | xargs -P 64 -I{} curl -s -o /dev/null -w '%{http_code}\n' -b "$BJ" \
    --data "csrf=$bt&name=clerk1&password=wrong+password+{}" "$STAFF_URL/staff/login" >"$SCRATCH/b64"
check_eq "64 wrong logins in parallel on one account: 5 passwords checked (the audit's count)" 5 \
    "$(store_sql "$W/burst.db" "SELECT count(*) FROM audit WHERE who='clerk1' AND event='login failed'")"
check "... the others refused (locked, or over the connections per address), none logged in" bash -c \
    "[ \$(grep -c '^429$' '$SCRATCH/b64') -ge 1 ] && ! grep -q '^303$' '$SCRATCH/b64' &&
     [ \$(grep -c '^200$' '$SCRATCH/b64') -le 4 ]"
# 23 wrong and the right password last, in one burst: no login after the lock was written.
bt=$(burst_token)
seq 23 | xargs -P 23 -I{} curl -s -o /dev/null -b "$BJ" \
    --data "csrf=$bt&name=callcentre&password=wrong+password+{}" "$STAFF_URL/staff/login" &
burst=$!
# the right one goes once the first wrong one has been answered: all 23 are in by then
for i in $(seq 100); do
    [ "$(store_sql "$W/burst.db" "SELECT count(*) FROM audit WHERE who='callcentre'")" -ge 1 ] && break
    sleep 0.05
done
curl -s -D "$SCRATCH/right.head" -o /dev/null -b "$BJ" \
    --data "csrf=$bt&name=callcentre&password=$(printf '%s' "$PW_ALL" | sed 's/ /+/g')" "$STAFF_URL/staff/login"
wait "$burst"
check_eq "a burst with the right password last: no login after 'locked' was written" 0 \
    "$(store_sql "$W/burst.db" "SELECT count(*) FROM audit a WHERE who='callcentre' AND event='login'
        AND EXISTS (SELECT 1 FROM audit b WHERE b.who='callcentre' AND b.event='login failed'
                    AND b.detail LIKE '%locked%' AND b.id < a.id)")"
check "... the right password, last, is refused as locked" bash -c \
    "grep -q '^HTTP/1.1 429' '$SCRATCH/right.head' && ! grep -qi '^set-cookie: cn_staff=' '$SCRATCH/right.head'"
check_eq "... 5 passwords checked in the burst" 5 \
    "$(store_sql "$W/burst.db" "SELECT count(*) FROM audit WHERE who='callcentre' AND event IN ('login failed', 'login')")"
serve_stop BURST

cat "$SCRATCH"/serve-*.log >"$SCRATCH/all.log"
check "the service's log: no name, no full reservation ID, no password, no token" bash -c \
    "! grep -q -e '$name1' -e '$kana1' -e '$R1' -e '$PW_MAIN' -e 'main+counter' -e '$token' '$SCRATCH/all.log'"

done_testing
