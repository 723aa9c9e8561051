#!/usr/bin/env bash
# The layering check of `make lint` (scripts/check-layers.py): a module's layer is its folder
# under batch/, the order is scripts/layers.txt. The tree passes; an include reaching up a
# layer, a file outside every layer folder, a folder the order lacks, a module in two
# folders and an include of an unknown module each fail with file:line and the layers named.
source "$(dirname "$0")/lib.sh"
CHECK="$ROOT/scripts/check-layers.py"
check "the tree keeps its layers" python3 "$CHECK" "$ROOT"

# A copy of the tree to break: batch/ and the order.
copy() {
    rm -rf "$SCRATCH/t"
    mkdir -p "$SCRATCH/t/scripts"
    cp -r "$ROOT/batch" "$SCRATCH/t/"
    cp "$ROOT/scripts/layers.txt" "$SCRATCH/t/scripts/"
}
copy
check "an unchanged copy passes" python3 "$CHECK" "$SCRATCH/t"

# rules.c (domain) including the store: the check names the line and both layers.
sed -i '0,/#include "rules.h"/s//#include "rules.h"\n#include "store_notice.h"/' "$SCRATCH/t/batch/domain/rules.c"
line=$(grep -n '#include "store_notice.h"' "$SCRATCH/t/batch/domain/rules.c" | cut -d: -f1)
check_exit "domain including the store fails" 1 python3 "$CHECK" "$SCRATCH/t"
out=$(python3 "$CHECK" "$SCRATCH/t" 2>/dev/null)
check_eq "... naming file:line and both layers" \
    "batch/domain/rules.c:$line: includes store_notice.h (store) from rules (domain): a lower layer must not reach up" \
    "$out"

# The other way: the same module moved down into core/ now reaches up to domain.
copy
mv "$SCRATCH/t/batch/domain/slots.c" "$SCRATCH/t/batch/core/slots.c"
mv "$SCRATCH/t/batch/domain/slots.h" "$SCRATCH/t/batch/core/slots.h"
check_exit "a module moved into a lower folder that includes its old layer fails" 1 python3 "$CHECK" "$SCRATCH/t"
check "... naming the folder as its layer" \
    sh -c "python3 '$CHECK' '$SCRATCH/t' 2>/dev/null | grep -q '^batch/core/slots\.[ch]:[0-9]*: includes .* (domain) from slots (core)'"

# Level neighbours may include each other (layout and ingest stand level).
copy
sed -i '0,/#include "tmpl.h"/s//#include "tmpl.h"\n#include "inputdir.h"/' "$SCRATCH/t/batch/layout/tmpl.c"
check "layout including ingest (the same level) passes" python3 "$CHECK" "$SCRATCH/t"

copy
printf '/* x */\n#include "err.h"\n' > "$SCRATCH/t/batch/newmod.c"
check_exit "a source file outside every layer folder fails" 1 python3 "$CHECK" "$SCRATCH/t"
check_eq "... and says so" "batch/newmod.c:1: module newmod is in no layer folder" \
    "$(python3 "$CHECK" "$SCRATCH/t" 2>/dev/null)"

copy
mkdir "$SCRATCH/t/batch/extra"
printf '/* x */\n#include "err.h"\n' > "$SCRATCH/t/batch/extra/newmod.c"
check_exit "a folder the order lacks fails" 1 python3 "$CHECK" "$SCRATCH/t"
check_eq "... naming the folder" "batch/extra/:1: layer extra is missing from the order in scripts/layers.txt" \
    "$(python3 "$CHECK" "$SCRATCH/t" 2>/dev/null)"

copy
sed -i '0,/#include "log.h"/s//#include "log.h"\n#include "nowhere.h"/' "$SCRATCH/t/batch/core/log.c"
check_exit "an include of an unknown module fails" 1 python3 "$CHECK" "$SCRATCH/t"

copy
cp "$SCRATCH/t/batch/domain/rules.h" "$SCRATCH/t/batch/core/rules.h"
check_exit "a module in two folders fails" 1 python3 "$CHECK" "$SCRATCH/t"
done_testing
