# Helpers shared by crash.sh and diskfull.sh: a config copy with a chosen batch size, the
# letters published across every batch folder of an output root, and a check that each
# visible batch folder is whole (checksums, manifest against the PDFs, feed against the
# manifest). Source it after lib.sh.

# make_config BATCH_SIZE DEST: demo.xml with <batch size=...>; the templates stay where
# they are (a copy elsewhere would look for them next to itself).
make_config() {
    sed -e "s/size=\"1000\"/size=\"$1\"/" \
        -e "s|<gaiji map=\"demo-gaiji.txt\"/>|<gaiji map=\"$ROOT/templates/municipalities/demo-gaiji.txt\"/>|" \
        -e "s|<offices>|<templates front=\"$ROOT/templates/letter-front.xml\" back=\"$ROOT/templates/letter-back.xml\"/>\n  <offices>|" \
        "$ROOT/templates/municipalities/demo.xml" >"$2"
    grep -q "size=\"$1\"" "$2" && grep -q '<templates ' "$2"
}

# batch_dirs OUT: the batch folders a print vendor would see (hidden ones are not batches).
batch_dirs() {
    local d
    for d in "$1"/*/; do [ -d "$d" ] && echo "${d%/}"; done
}

# published OUT: "resident_id,cert_expiry" of every letter in every batch, one a line,
# sorted, duplicates kept (so a letter printed twice shows up twice).
published() {
    local d
    for d in $(batch_dirs "$1"); do
        awk -F, 'NR > 1 {print $1 "," $3}' "$d/internal/notices.csv"
    done | sort
}

# published_rids OUT: "resident_id,cert_expiry,rid,batch" of every letter published, sorted.
published_rids() {
    local d
    for d in $(batch_dirs "$1"); do
        awk -F, -v b="$(basename "$d")" 'NR > 1 {print $1 "," $3 "," $2 "," b}' "$d/internal/notices.csv"
    done | sort
}

# pdf_pages OUT: total pages of every notices PDF in every batch (pdfinfo).
pdf_pages() {
    local d f total=0 p
    for d in $(batch_dirs "$1"); do
        for f in "$d"/print/notices-*.pdf; do
            [ -e "$f" ] || continue
            p=$(pdfinfo "$f" | awk '/^Pages:/ {print $2}')
            total=$((total + p))
        done
    done
    echo "$total"
}

# batch_whole DIR: exit 0 when the batch folder is complete and self-consistent; otherwise
# prints why and exits 1.
batch_whole() {
    local d="$1" f p want letters rows
    [ -f "$d/print/SHA256SUMS" ] || { echo "$d: no SHA256SUMS"; return 1; }
    [ -f "$d/print/manifest.csv" ] || { echo "$d: no manifest.csv"; return 1; }
    [ -f "$d/internal/notices.csv" ] || { echo "$d: no notices.csv"; return 1; }
    (cd "$d/print" && sha256sum --quiet -c SHA256SUMS) || { echo "$d: checksums"; return 1; }
    # Every PDF is listed, and the manifest's page count is the PDF's.
    for f in "$d"/print/notices-*.pdf; do
        [ -e "$f" ] || continue
        grep -q "^$(basename "$f")," "$d/print/manifest.csv" || { echo "$f: not in manifest"; return 1; }
    done
    while IFS=, read -r f letters want _; do
        [ "$f" = file ] && continue
        [ -f "$d/print/$f" ] || { echo "$d/print/$f: listed, missing"; return 1; }
        grep -q "  $f\$" "$d/print/SHA256SUMS" || { echo "$f: no checksum"; return 1; }
        p=$(pdfinfo "$d/print/$f" | awk '/^Pages:/ {print $2}')
        [ "$p" = "$want" ] || { echo "$f: manifest says $want pages, pdfinfo $p"; return 1; }
        [ "$p" = "$((2 * letters))" ] || { echo "$f: $letters letters in $p pages"; return 1; }
    done <"$d/print/manifest.csv"
    letters=$(awk -F, 'NR > 1 {s += $2} END {print s + 0}' "$d/print/manifest.csv")
    rows=$(($(wc -l <"$d/internal/notices.csv") - 1))
    [ "$letters" = "$rows" ] || { echo "$d: manifest $letters letters, notices.csv $rows"; return 1; }
}

# batches_whole OUT: every visible batch folder is whole.
batches_whole() {
    local d
    for d in $(batch_dirs "$1"); do batch_whole "$d" || return 1; done
}

# no_partial OUT: no .partial folder left, hidden or not.
no_partial() {
    ! ls -A "$1" 2>/dev/null | grep -q partial
}

# db_rids DB: the notices table's reservation ID per resident and expiry.
db_rids() {
    sqlite3 "$1" 'select resident_id, cert_expiry, rid from notices order by 1, 2'
}

# db_published DB: the same four columns for the notices the database calls published; the
# database records a batch by its folder's absolute path, the folders by name.
db_published() {
    sqlite3 -separator , "$1" \
        "select resident_id, cert_expiry, rid, batch from notices where status = 'published'" |
        sed 's|,/[^,]*/\([^/,]*\)$|,\1|' | sort
}

# db_count DB STATUS: notices in that status.
db_count() {
    sqlite3 "$1" "select count(*) from notices where status = '$2'"
}
