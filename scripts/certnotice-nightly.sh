#!/usr/bin/env bash
# certnotice-nightly: the nightly job as municipal IT runs it from cron or the systemd timer.
# Runs `certnotice run` with the paths of the site's conf file, appends everything it says
# to LOG/run-YYYY-MM-DD.log, archives the input files it read only when the run completed
# (exit 0 or 1), and exits with certnotice's own exit code so that monitoring sees it:
#   0 done, 1 done with rejected records, 2 usage/config, 3 input unreadable,
#   4 another run holds the lock, 5 output could not be written (nothing published),
#   6 the database failed its integrity check, 7 interrupted by SIGTERM/SIGINT.
#
# Usage: certnotice-nightly.sh [CONF]     (default /etc/certnotice/certnotice.conf,
#                                          or $CERTNOTICE_CONF)
# CONF is a shell fragment setting: CERTNOTICE_BIN, CONFIG, INPUT, DB, OUT, LOG, and
# optionally ARCHIVE (default: INPUT's parent/archive), RUN_DATE (default: today) and
# EXTRA_ARGS (more options for `certnotice run`, e.g. "--jobs 2").
set -uo pipefail

# Everything written from here on (log, database, letters) holds personal data.
umask 077

CONF="${1:-${CERTNOTICE_CONF:-/etc/certnotice/certnotice.conf}}"
CERTNOTICE_BIN=/usr/local/bin/certnotice
CONFIG=/etc/certnotice/templates/municipalities/municipality.xml
INPUT=/var/lib/certnotice/input
DB=/var/lib/certnotice/certnotice.db
OUT=/var/lib/certnotice/out
LOG=/var/log/certnotice
ARCHIVE=
RUN_DATE=
EXTRA_ARGS=

say() { # level message: the same line format as certnotice's own log
    printf 'level=%s stage=nightly msg="%s"\n' "$1" "$2" >&2
}

if [ ! -r "$CONF" ]; then
    say error "cannot read $CONF"
    exit 2
fi
# shellcheck source=/dev/null
. "$CONF"
ARCHIVE="${ARCHIVE:-$(dirname "$INPUT")/archive}"
# The night's date as certnotice takes it: today in the config's <batch time-zone> (default
# Asia/Tokyo), not the host's zone. A server on UTC runs the 00:30 JST night at 15:30 UTC the
# day before; naming the log by the host's date put it under the wrong night.
zone=$(xmllint --nonet --xpath 'string(/*/batch/@time-zone)' "$CONFIG" 2>/dev/null || true)
day="${RUN_DATE:-$(TZ="${zone:-Asia/Tokyo}" date +%F)}"

if ! mkdir -p "$LOG"; then
    say error "cannot create the log folder $LOG"
    exit 5
fi
logfile="$LOG/run-$day.log"
if ! : >>"$logfile"; then
    say error "cannot write $logfile"
    exit 5
fi
# From here on the log file gets all output too; stderr still reaches cron's mail/journal.
# tee ignores SIGTERM/SIGINT: systemd signals the whole unit on stop, and certnotice must
# still be able to log how it stopped (a dead tee would kill it by SIGPIPE instead).
exec 2> >(trap '' TERM INT; exec tee -a "$logfile" >&2)
tee_pid=$!

finish() { # exit code: waits for the log to be written out before leaving
    exec 2>&-
    wait "$tee_pid" 2>/dev/null
    exit "$1"
}

if [ ! -x "$CERTNOTICE_BIN" ]; then
    say error "$CERTNOTICE_BIN is not an executable"
    finish 2
fi
for dir in "$INPUT" "$OUT"; do
    if [ ! -d "$dir" ]; then
        say error "$dir is not a folder"
        finish 2
    fi
done

# The files this run will read, listed before it starts: one that arrives during the run
# is left for tomorrow (ingest knows each file by its SHA-256, so it is loaded once).
inputs=()
while IFS= read -r -d '' f; do inputs+=("$f"); done < <(
    find "$INPUT" -maxdepth 1 -type f \( -iname '*.csv' -o -iname '*.xml' \) \
        ! -name '.*' -print0 | sort -z)

args=(run --config "$CONFIG" --input "$INPUT" --db "$DB" --out "$OUT")
[ -n "$RUN_DATE" ] && args+=(--date "$RUN_DATE")
# shellcheck disable=SC2206
[ -n "$EXTRA_ARGS" ] && args+=($EXTRA_ARGS)

say info "start $(date -u +%FT%TZ) input_files=${#inputs[@]}: certnotice ${args[*]}"
# A stop sent to this script alone (kill, Ctrl-C) is passed on; certnotice rolls back the
# stage in hand and exits 7, and this script waits for it rather than leaving it behind.
"$CERTNOTICE_BIN" "${args[@]}" >&2 &
child=$!
trap 'say warn "stop requested: passing it on to certnotice"; kill -TERM "$child" 2>/dev/null' \
    TERM INT
while :; do
    wait "$child"
    rc=$?
    # wait returns early (status > 128) when a trapped signal arrives; the child may live on.
    kill -0 "$child" 2>/dev/null || break
done
trap - TERM INT
say info "certnotice exit=$rc"

# Archive only when the run completed: after a failure the same files must be there for
# the rerun, which will not send anyone a second letter.
if [ "$rc" -eq 0 ] || [ "$rc" -eq 1 ]; then
    dest="$ARCHIVE/$day"
    if [ ${#inputs[@]} -gt 0 ] && ! mkdir -p "$dest"; then
        # The letters are out: the exit code stays the run's; tomorrow skips these files.
        say error "cannot create $dest: input files left in $INPUT"
    else
        for f in "${inputs[@]}"; do
            target="$dest/$(basename "$f")"
            # A second file of the same name on the same day (a rerun): keep both.
            [ -e "$target" ] && target="$target.$(date +%H%M%S).$$"
            if mv -- "$f" "$target"; then
                say info "archived $(basename "$f") to $dest"
            else
                say error "cannot archive $f"
            fi
        done
    fi
else
    say warn "input files left in $INPUT for the rerun"
fi
say info "end $(date -u +%FT%TZ) exit=$rc"
finish "$rc"
