#!/usr/bin/env bash
# A damaged database stops the run before anything is loaded or published: PRAGMA
# quick_check runs first, and its findings are in the message (exit 6). A damaged page
# read without the check would drop its residents from the night without an error. A reprint
# opens the night the same way (pipeline/night.c) and is refused alike.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/helpers/batches.sh"
DATE=2026-12-01
INPUT="$SCRATCH/residents.csv"
python3 "$ROOT/scripts/gen-residents.py" --count 3000 --date "$DATE" >"$INPUT"
run() { # DB OUT [DATE]
    "$BIN" run --date "${3:-$DATE}" --input "$INPUT" --db "$1" --out "$2" --config "$CONFIG"
}

# damage DB TABLE: overwrites the first 200 bytes (page header and cell pointers) of the
# table's second leaf page with seeded random bytes.
damage() {
    local page size
    page=$(sqlite3 "$1" "select pageno from dbstat where name = '$2' and pagetype = 'leaf' \
        order by pageno limit 1 offset 1")
    size=$(sqlite3 "$1" 'pragma page_size')
    [ -n "$page" ] || return 1
    python3 - "$1" "$page" "$size" <<'PY'
import random, sys
path, page, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
with open(path, "r+b") as f:
    f.seek((page - 1) * size)
    f.write(random.Random(page).randbytes(200))
PY
}

# ---- residents: the night before any letter
DB="$SCRATCH/res.db"
check_exit "the residents load (dry run not needed: a real night)" 0 \
    "$BIN" ingest --db "$DB" --config "$CONFIG" "$INPUT"
sqlite3 "$DB" 'pragma wal_checkpoint(truncate)' >/dev/null
check "a residents page is damaged" damage "$DB" residents
check_exit "the run on it exits 6" 6 run "$DB" "$SCRATCH/res.out"
cp "$SCRATCH/.last" "$SCRATCH/res.log"
sed 's/^/# /' "$SCRATCH/res.log" | grep quick_check
check "its message names the check" grep -q 'failed its integrity check (PRAGMA quick_check: ' \
    "$SCRATCH/res.log"
check "and carries the check's findings" grep -qE 'quick_check: [^)]*(page|btree|Tree|cell)' \
    "$SCRATCH/res.log"
check "nothing was published (no batch folder)" test -z "$(batch_dirs "$SCRATCH/res.out" 2>/dev/null)"
check_eq "no notice was issued" 0 "$(sqlite3 "$DB" 'select count(*) from notices' 2>/dev/null || echo 0)"

# ---- notices: a published night, then a damaged notices page
DB="$SCRATCH/not.db"
check_exit "a first night publishes" 0 run "$DB" "$SCRATCH/not.out"
sqlite3 "$DB" 'pragma wal_checkpoint(truncate)' >/dev/null
check "a notices page is damaged" damage "$DB" notices
check_exit "the next night exits 6" 6 run "$DB" "$SCRATCH/not.out" 2026-12-02
cp "$SCRATCH/.last" "$SCRATCH/not.log"
check "its message names the check" grep -q 'PRAGMA quick_check: ' "$SCRATCH/not.log"
check "no message is empty" bash -c "! grep -q 'msg=\"\"' '$SCRATCH/not.log'"
check_eq "still only the first night's batch" "$DATE" "$(ls "$SCRATCH/not.out")"
check "no partial folder" no_partial "$SCRATCH/not.out"

# ---- a reprint opens the night as the run does: the damaged database is refused too
rid=$(tr -d '\r' <"$SCRATCH/not.out/$DATE/internal/notices.csv" | awk -F, 'NR==2 {print $2}')
check_exit "a reprint on the damaged database exits 6" 6 "$BIN" reprint --date 2026-12-02 \
    --db "$DB" --out "$SCRATCH/not.out" --config "$CONFIG" "$rid"
cp "$SCRATCH/.last" "$SCRATCH/reprint.log"
check "its message names the check" grep -q 'PRAGMA quick_check: ' "$SCRATCH/reprint.log"
check_eq "no reprint batch" "$DATE" "$(ls "$SCRATCH/not.out")"

done_testing
