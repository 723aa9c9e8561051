#!/usr/bin/env bash
# certnotice-export (outside): the bookings changed since the last export, as one file in the
# transfer's outbox for the inside's `certnotice bookings import`. The next --since is the
# exported_at of the last file written (kept in STATE only once the file is complete), so a
# failed run leaves nothing half-done and the next one exports the same changes again
# (bookings import takes a row twice as once).
# Usage: certnotice-export.sh BOOKING_DB OUTBOX STATE   (e.g. from cron every 15 minutes)
set -euo pipefail
umask 077
db="$1" outbox="$2" state="$3"
bin="${CERTNOTICE_BIN:-/usr/local/bin/certnotice}"
since="$(cat "$state" 2>/dev/null || echo 2000-01-01)"
name="bookings-$(date -u +%Y%m%dT%H%M%SZ).csv"
"$bin" export-bookings --db "$db" --since "$since" --out "$outbox/.$name"
# exported_at is the same on every row; a file without rows keeps the old --since.
at="$(awk -F, 'NR == 2 {print $13; exit}' "$outbox/.$name" | tr -d '\r')"
if [ -z "$at" ]; then
    rm -f "$outbox/.$name"
    exit 0
fi
mv "$outbox/.$name" "$outbox/$name"
printf '%s\n' "$at" >"$state.new" && mv "$state.new" "$state"
