#!/usr/bin/env bash
# paths: `make lint`'s scripts/check-paths.sh passes on the repository and, on a clone with
# a path of one machine or a folder outside the repository planted in it, fails naming each
# FILE:LINE; the system's own paths and the allowed lines pass (issue 31).
source "$(dirname "$0")/lib.sh"
CHECK="$ROOT/scripts/check-paths.sh"

check "the repository's tracked files name no machine path" "$CHECK" "$ROOT"

C="$SCRATCH/clone"
git clone -q "$ROOT" "$C"
check "a clean clone passes" "$CHECK" "$C"

# The bad paths are put together here, so that this file itself names none.
h=home r=root w=work s=shared
echo "KEN_ALL: /$h/alice/postal/ken_all.zip" >>"$C/README.md"
readme_line=$(wc -l <"$C/README.md")
printf '<!-- source: ../../../%s/seeds/001.txt -->\n' "$s" >>"$C/templates/municipalities/demo.xml"
xml_line=$(wc -l <"$C/templates/municipalities/demo.xml")
mkdir -p "$C/tests/new"
printf '#!/bin/sh\n# new\nPOSTAL=/%s/%s/postal\nDATA=/%s/data.csv\n' "$w" "$s" "$r" >"$C/tests/new/t.sh"
git -C "$C" add tests/new/t.sh
check_exit "planted paths fail the check" 1 "$CHECK" "$C"
cp "$SCRATCH/.last" "$SCRATCH/out"
check "  naming README.md:$readme_line" grep -q "README.md:$readme_line:" "$SCRATCH/out"
check "  naming the config's comment" grep -q "templates/municipalities/demo.xml:$xml_line:" "$SCRATCH/out"
check "  naming a new tracked file's two lines" \
    test "$(grep -c 'tests/new/t.sh:[34]:' "$SCRATCH/out")" = 2
check_eq "  and nothing else" 4 "$(grep -c '^check-paths: [^ ]*:[0-9]*:' "$SCRATCH/out")"

# An untracked file is not the repository's: not read.
git -C "$C" checkout -q -- README.md templates/municipalities/demo.xml
git -C "$C" rm -q --cached tests/new/t.sh
check "an untracked file with such a path is not read" "$CHECK" "$C"
rm -rf "$C/tests/new"

# The system's own paths, a bare home, a path after a variable and words that merely
# contain one pass.
cat >>"$C/scripts/check-me.sh" <<EOF
FONTS=/usr/share/fonts/opentype/ipaexfont-mincho
cp /etc/resolv.conf /tmp/x; cat /proc/meminfo /dev/null >/var/cache/fresh-debian/base.tar
HOME=/$r; cd \$ROOT/build/$w; mkdir -p "\$build/$r"; ls ~/project /srv/out
echo network/${w}ers /${w}ers /${h}s
EOF
git -C "$C" add scripts/check-me.sh
check "system paths, a bare /$r, \$VAR/$r: not flagged" "$CHECK" "$C"
# .ci/fresh-debian's chroot account is allowed by its whole line, not by the file.
echo "    cp x /$h/dev/elsewhere" >>"$C/.ci/fresh-debian"
check_exit "the allow-list is a line, not a file" 1 "$CHECK" "$C"
cp "$SCRATCH/.last" "$SCRATCH/out"
check "  naming the new line only" test "$(grep -c '^check-paths: .ci/fresh-debian:' "$SCRATCH/out")" = 1

check_exit "not a repository: usage error" 2 "$CHECK" "$SCRATCH/nowhere"

done_testing
