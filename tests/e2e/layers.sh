#!/usr/bin/env bash
# The layering check of `make lint` (scripts/check-layers.py, table scripts/layers.txt): the
# tree passes; an include reaching up a layer, a module the table lacks and an include of an
# unknown module each fail with file:line and the layers named.
source "$(dirname "$0")/lib.sh"
CHECK="$ROOT/scripts/check-layers.py"
check "the tree keeps its layers" python3 "$CHECK" "$ROOT"

# A copy of the tree to break: batch/ and the table.
copy() {
    rm -rf "$SCRATCH/t"
    mkdir -p "$SCRATCH/t/scripts"
    cp -r "$ROOT/batch" "$SCRATCH/t/"
    cp "$ROOT/scripts/layers.txt" "$SCRATCH/t/scripts/"
}
copy
check "an unchanged copy passes" python3 "$CHECK" "$SCRATCH/t"

# rules.c (domain) including the store: the check names the line and both layers.
sed -i '0,/#include "rules.h"/s//#include "rules.h"\n#include "store_notice.h"/' "$SCRATCH/t/batch/rules.c"
line=$(grep -n '#include "store_notice.h"' "$SCRATCH/t/batch/rules.c" | cut -d: -f1)
check_exit "domain including the store fails" 1 python3 "$CHECK" "$SCRATCH/t"
out=$(python3 "$CHECK" "$SCRATCH/t" 2>/dev/null)
check_eq "... naming file:line and both layers" \
    "batch/rules.c:$line: includes store_notice.h (store) from rules (domain): a lower layer must not reach up" \
    "$out"

# Level neighbours may include each other (layout and ingest stand level).
copy
sed -i '0,/#include "tmpl.h"/s//#include "tmpl.h"\n#include "inputdir.h"/' "$SCRATCH/t/batch/tmpl.c"
check "layout including ingest (the same level) passes" python3 "$CHECK" "$SCRATCH/t"

copy
printf '/* x */\n#include "err.h"\n' > "$SCRATCH/t/batch/newmod.c"
check_exit "a module without a layer fails" 1 python3 "$CHECK" "$SCRATCH/t"
check_eq "... and says where the table is" "batch/newmod.c:1: module newmod has no layer in scripts/layers.txt" \
    "$(python3 "$CHECK" "$SCRATCH/t" 2>/dev/null)"

copy
sed -i '0,/#include "log.h"/s//#include "log.h"\n#include "nowhere.h"/' "$SCRATCH/t/batch/log.c"
check_exit "an include of an unknown module fails" 1 python3 "$CHECK" "$SCRATCH/t"

copy
sed -i 's/^core:     err /core:     rules err /' "$SCRATCH/t/scripts/layers.txt"
check_exit "a module in two layers is a broken table" 1 python3 "$CHECK" "$SCRATCH/t"
done_testing
