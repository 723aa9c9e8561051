#!/usr/bin/env bash
# The counter's side: staff accounts on the command line (passwords asked twice, never in
# argv, not echoed on a terminal, a minimum length, the audit), and the report's audit part.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/helpers/serve.sh"
DATE=2026-12-01
W="$SCRATCH/w"; mkdir -p "$W"
DB="$W/cn.db"
check_exit "nightly run on the sample" 0 "$BIN" run --date "$DATE" --input "$ROOT/input/sample" \
    --db "$DB" --out "$W/out" --config "$CONFIG"
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
check "the database keeps an Argon2id hash, never the password" bash -c \
    "sqlite3 '$DB' \"SELECT hash FROM staff WHERE name='clerk1'\" | grep -q '^\\\$argon2id\\\$' &&
     ! grep -aq '$PW_MAIN' '$DB' '$DB-wal' 2>/dev/null"

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

check_exit "staff remove" 0 staff remove clerk2
check_exit "staff remove: no such account" 2 staff remove clerk2
check_exit "staff passwd: no such account" 2 bash -c \
    "printf 'abcdefghijklmn\nabcdefghijklmn\n' | $BIN staff --db '$DB' passwd nobody"
check_exit "staff list on a database that does not exist" 3 "$BIN" staff --db "$W/none.db" list
check "staff list no longer shows the removed account" bash -c "! staff list | grep -q clerk2"

"$BIN" report --db "$DB" >"$SCRATCH/report" 2>&1
check "report: the audit shows the account changes, who ran them, from the CLI" bash -c \
    "grep -Eq 'cli:[^ ]+ +staff remove +cli +account clerk2' '$SCRATCH/report' &&
     grep -Eq 'staff passwd +cli +account clerk2' '$SCRATCH/report' &&
     grep -Eq 'staff add +cli +account callcentre office \*' '$SCRATCH/report'"
check "report: no password in the audit" bash -c "! grep -Eq 'main counter|call centre pass|north office pw|tty typed' '$SCRATCH/report'"

done_testing
