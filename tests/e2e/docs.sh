#!/usr/bin/env bash
# The project's own docs: docs/contracts.md, docs/domain.md and docs/layers.md exist; every
# module under batch/ is in docs/layers.md's list and the README's "Code layout" (checked by
# scripts/module-docs.py, which fails on a copy of the tree given a module neither names,
# and on a README that lost one); nothing in the repository cites the design notes that
# used to live outside it.
source "$(dirname "$0")/lib.sh"
CHECK="$ROOT/scripts/module-docs.py"
for d in contracts domain layers; do
    check "docs/$d.md exists and is not empty" test -s "$ROOT/docs/$d.md"
done
check "every module is listed in docs/layers.md and the README" python3 "$CHECK" "$ROOT"

copy() {
    rm -rf "$SCRATCH/t"
    mkdir -p "$SCRATCH/t/scripts" "$SCRATCH/t/docs"
    cp -r "$ROOT/batch" "$SCRATCH/t/"
    cp "$ROOT/scripts/layers.txt" "$SCRATCH/t/scripts/"
    cp "$ROOT/docs/layers.md" "$SCRATCH/t/docs/"
    cp "$ROOT/README.md" "$SCRATCH/t/"
}
copy
check "an unchanged copy passes" python3 "$CHECK" "$SCRATCH/t"
printf '/* newthing: a module nobody listed. Must not exist. */\n' >"$SCRATCH/t/batch/domain/newthing.h"
check_exit "a new module listed nowhere fails" 1 python3 "$CHECK" "$SCRATCH/t"
out=$(python3 "$CHECK" "$SCRATCH/t" 2>/dev/null)
check_eq "... naming it for both lists" \
    "docs/layers.md: module newthing is missing from its module list
README.md: module newthing is missing from its module list" "$out"
check "--write lists it, and then the copy passes" \
    bash -c "python3 '$CHECK' --write '$SCRATCH/t' && python3 '$CHECK' '$SCRATCH/t' && grep -q '^- \`newthing\`: a module nobody listed' '$SCRATCH/t/docs/layers.md'"

copy
sed -i '/modules:begin/,/modules:end/ s/\bstrbuf, //' "$SCRATCH/t/README.md"
check_exit "a README that lost a module fails" 1 python3 "$CHECK" "$SCRATCH/t"
check "... naming it" sh -c "python3 '$CHECK' '$SCRATCH/t' 2>/dev/null | grep -qx 'README.md: module strbuf is missing from its module list'"

copy
rm "$SCRATCH/t/batch/core/grow.c" "$SCRATCH/t/batch/core/grow.h"
check_exit "a listed module that is gone fails" 1 python3 "$CHECK" "$SCRATCH/t"
check "... naming it" sh -c "python3 '$CHECK' '$SCRATCH/t' 2>/dev/null | grep -qx 'docs/layers.md: grow is listed but is no module under batch/'"

# The design notes are the repository's own: nothing cites the old ones kept elsewhere.
cited=$(cd "$ROOT" && git grep -n -e 'DESIGN\.md' -e 'DOMAIN\.md' -- . ':!tests/e2e/docs.sh' 2>/dev/null)
check_eq "no file cites DESIGN.md or DOMAIN.md" "" "$cited"
done_testing
