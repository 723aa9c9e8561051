#!/usr/bin/env bash
# A full or unwritable output disk: the run exits 5, publishes no batch, leaves no partial
# folder and a consistent database (no notice 'publishing', the letters still due with
# their IDs); once there is room, the rerun publishes every due letter once, same IDs.
# Needs root for mount (tmpfs, else a loop device), or sudo without a password; otherwise
# the suite is skipped (and under CI=true a skip fails).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/helpers/batches.sh"
DATE=2026-12-01
MNT="$SCRATCH/small"
mkdir -p "$MNT"
# As a user, mount through sudo when it asks no password (README: "a user with sudo").
AS_ROOT=
[ "$(id -u)" -ne 0 ] && sudo -n true 2>/dev/null && AS_ROOT="sudo -n"
trap '$AS_ROOT umount "$MNT" 2>/dev/null; [ -n "${LOOPDEV:-}" ] && $AS_ROOT losetup -d "$LOOPDEV" 2>/dev/null; rm -rf "$SCRATCH"' EXIT
LOOPDEV=
OWNER="uid=$(id -u),gid=$(id -g)"

# small_fs: a 2 MB file system at $MNT, owned by whoever runs the tests; sets FS to tmpfs
# or loop, or returns 1.
small_fs() {
    if $AS_ROOT mount -t tmpfs -o "size=2m,mode=0700,$OWNER" tmpfs "$MNT" 2>/dev/null; then
        FS=tmpfs
        return 0
    fi
    truncate -s 2M "$SCRATCH/small.img" &&
        mkfs.ext2 -q -F -m 0 "$SCRATCH/small.img" >/dev/null 2>&1 &&
        LOOPDEV=$($AS_ROOT losetup -f --show "$SCRATCH/small.img" 2>/dev/null) &&
        $AS_ROOT mount "$LOOPDEV" "$MNT" 2>/dev/null &&
        $AS_ROOT chown "$(id -u):$(id -g)" "$MNT" || return 1
    FS=loop
}

if ! small_fs; then
    ok "# SKIP cannot mount a small file system here (needs root: tmpfs or a loop device)"
    done_testing
    exit 0
fi
echo "# output on a 2 MB $FS"

CFG="$SCRATCH/demo-200.xml"
check "config copy with batch size 200" make_config 200 "$CFG"
INPUT="$SCRATCH/residents.csv"
python3 "$ROOT/scripts/gen-residents.py" --count 8000 --date "$DATE" >"$INPUT"
DB="$SCRATCH/state.db"
run() { # OUT [args...]
    local out="$1"; shift
    "$BIN" run --date "$DATE" --input "$INPUT" --db "$DB" --out "$out" --config "$CFG" \
        --jobs 2 "$@"
}
json() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1], {"d": d}))' "$@"; }

# The letters due tonight, as a dry run on a scratch copy counts them.
check_exit "dry run exits 0" 0 bash -c "'$BIN' run --date $DATE --input '$INPUT' --db '$SCRATCH/dry.db' --out '$SCRATCH/dry.out' --config '$CFG' --dry-run >'$SCRATCH/dry.json'"
DUE=$(json 'd["print"]["letters"]' <"$SCRATCH/dry.json")
echo "# $DUE letters due"
check "more letters due than fit on 2 MB (at least 400)" test "$DUE" -ge 400

OUT="$MNT/out"
check_exit "run onto the full disk exits 5" 5 run "$OUT"
cp "$SCRATCH/.last" "$SCRATCH/full.log"
grep 'level=error' "$SCRATCH/full.log" | sed 's/^/# /'
check "the error names the output folder" grep -q "level=error.*$OUT" "$SCRATCH/full.log"
check "it says the disk is full, where" grep -q "the disk holding $OUT is full (" "$SCRATCH/full.log"
check "and how much the batch needed" \
    grep -qE "had written [0-9]+ [KM]iB when it failed \([0-9]+ of [0-9]+ print files begun\) and needs about [0-9]+ [KM]iB in all" \
    "$SCRATCH/full.log"
check_eq "no batch folder published" "" "$(batch_dirs "$OUT")"
check "no partial folder left" no_partial "$OUT"
check_eq "the disk is empty again" "" "$(find "$OUT" -type f | head -3)"
check_eq "no notice 'publishing'" 0 "$(db_count "$DB" publishing)"
check_eq "every due letter is still 'issued'" "$DUE" "$(db_count "$DB" issued)"
check_eq "no notice 'published'" 0 "$(db_count "$DB" published)"
db_rids "$DB" >"$SCRATCH/rids.before"
check_eq "a dry run still finds them all due" "$DUE" \
    "$(run "$OUT" --dry-run 2>/dev/null | json 'd["print"]["letters"]')"

check_exit "a second attempt on the still-full disk exits 5 too" 5 run "$OUT"
check_eq "still no batch folder" "" "$(batch_dirs "$OUT")"
check "still no partial folder" no_partial "$OUT"
check_eq "still no notice 'publishing'" 0 "$(db_count "$DB" publishing)"
check_eq "IDs unchanged by the failed runs" "$(cat "$SCRATCH/rids.before")" "$(db_rids "$DB")"

# Make room: a bigger tmpfs, or (loop device) another output folder.
if [ "$FS" = tmpfs ] && $AS_ROOT mount -o remount,size=64m "$MNT"; then
    ROOMY="$OUT"
else
    ROOMY="$SCRATCH/roomy"
fi
check_exit "with room, the rerun exits 0" 0 run "$ROOMY"
check_eq "one batch folder" 1 "$(batch_dirs "$ROOMY" | wc -l)"
check "it is whole (checksums, manifest pages = pdfinfo)" batches_whole "$ROOMY"
check "no partial folder left" no_partial "$ROOMY"
published "$ROOMY" >"$SCRATCH/letters"
check_eq "every due letter published" "$DUE" "$(wc -l <"$SCRATCH/letters")"
check_eq "none twice" "" "$(uniq -d "$SCRATCH/letters" | head -3)"
check_eq "PDF pages = 2 per letter" "$((2 * DUE))" "$(pdf_pages "$ROOMY")"
check_eq "no notice 'publishing' or 'issued' left" "0 0" \
    "$(db_count "$DB" publishing) $(db_count "$DB" issued)"
check "the IDs printed are the database's" diff <(db_published "$DB") <(published_rids "$ROOMY")
check_eq "IDs unchanged from the failed run" "$(cat "$SCRATCH/rids.before")" "$(db_rids "$DB")"

# All or nothing wherever the disk fills up: in a PDF, a feed, the manifest, the control
# sheet. The sizes are fractions of what one batch takes, measured here.
if [ "$FS" = tmpfs ]; then
    INPUT="$SCRATCH/few.csv"
    python3 "$ROOT/scripts/gen-residents.py" --count 3000 --date "$DATE" >"$INPUT"
    DB="$SCRATCH/measure.db"
    $AS_ROOT umount "$MNT" && $AS_ROOT mount -t tmpfs -o "size=64m,mode=0700,$OWNER" tmpfs "$MNT"
    check_exit "a batch of the small input on a roomy disk" 0 run "$MNT/out"
    NEED=$(du -sk "$MNT/out" | awk '{print $1}')
    FEW=$(db_count "$DB" published)
    echo "# the batch of $FEW letters takes ${NEED} KiB"
    for pct in 80 84 86 88 94; do
        $AS_ROOT umount "$MNT" &&
            $AS_ROOT mount -t tmpfs -o "size=$((NEED * pct / 100))k,mode=0700,$OWNER" tmpfs "$MNT"
        DB="$SCRATCH/size-$pct.db"
        run "$MNT/out" 2>"$SCRATCH/size.log"
        rc=$?
        echo "# ${pct}%: exit $rc $(grep 'level=error' "$SCRATCH/size.log" | sed 's|.*partial/||')"
        if [ "$rc" = 5 ]; then
            check_eq "${pct}%: exit 5, no batch, no partial, no notice 'publishing', all still due" \
                "0 0 $FEW" "$(batch_dirs "$MNT/out" | wc -l) $(db_count "$DB" publishing) $(db_count "$DB" issued)"
            check "${pct}%: no partial folder" no_partial "$MNT/out"
        else
            check_eq "${pct}%: exit 0 with the whole batch" "0 $FEW" "$rc $(published "$MNT/out" | wc -l)"
            check "${pct}%: the batch is whole" batches_whole "$MNT/out"
        fi
    done
    INPUT="$SCRATCH/residents.csv"
fi

# Unwritable outputs, on a fresh database with letters due.
DB="$SCRATCH/unwritable.db"
: >"$SCRATCH/a-file"
check_exit "--out under a regular file exits 5" 5 run "$SCRATCH/a-file/out"
check_eq "nothing 'publishing' or 'published' after it" "0 0" \
    "$(db_count "$DB" publishing) $(db_count "$DB" published)"
$AS_ROOT umount "$MNT" 2>/dev/null
if $AS_ROOT mount -t tmpfs -o "size=8m,ro,$OWNER" tmpfs "$MNT" 2>/dev/null ||
    { [ -n "$LOOPDEV" ] && $AS_ROOT mount -o ro "$LOOPDEV" "$MNT" 2>/dev/null; }; then
    check_exit "--out on a read-only file system exits 5" 5 run "$MNT"
    check_eq "nothing 'publishing' or 'published' after it" "0 0" \
        "$(db_count "$DB" publishing) $(db_count "$DB" published)"
    $AS_ROOT umount "$MNT"
else
    ok "# SKIP cannot mount a read-only file system here"
fi
check_exit "the same database then publishes once the output is writable" 0 run "$SCRATCH/writable"
check_eq "every due letter published" "$DUE" "$(published "$SCRATCH/writable" | wc -l)"
check_eq "all of them marked published" "$DUE" "$(db_count "$DB" published)"

done_testing
