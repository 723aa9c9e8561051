#!/usr/bin/env bash
# installdeps: scripts/install-deps.sh on a bare system and on a ready one, with dpkg-query,
# apt-get, sudo and id replaced by stubs that record their calls. On a bare system it
# updates the lists first, installs without recommends, through sudo when not root, and
# brings npm only when no npm runs, starts no system service (a policy-rc.d for the install;
# nginx's then disabled); on a ready one it installs nothing. (CI runs it for real
# on a fresh Debian: .ci/fresh-debian.)
source "$(dirname "$0")/lib.sh"

STUBS="$SCRATCH/stubs"
mkdir -p "$STUBS"
stub() { # NAME BODY
    printf '#!/bin/sh\n%s\n' "$2" >"$STUBS/$1"
    chmod +x "$STUBS/$1"
}
# INSTALLED: "all" or "none"; UID_IS: what id -u says; calls go to $SCRATCH/calls.
stub dpkg-query '[ "$INSTALLED" = all ] && printf "install ok installed"; exit 0'
# apt-get install also records what the policy-rc.d in force says to nginx's start then
stub apt-get 'echo "apt-get $*" >>"$CALLS"
case "$*" in *install*) [ -x "$POLICY_RC_D" ] && { "$POLICY_RC_D" nginx start; echo "policy nginx $?"
    "$POLICY_RC_D" nginx.service start; echo "policy nginx.service $?"
    "$POLICY_RC_D" postgresql start; echo "policy postgresql $?"; } >>"$CALLS" ;; esac'
stub update-rc.d 'echo "update-rc.d $*" >>"$CALLS"'
stub sudo 'echo "sudo $1" >>"$CALLS"; exec "$@"'
stub id '[ "$1" = -u ] && echo "$UID_IS"'
mkdir -p "$SCRATCH/npm"
printf '#!/bin/sh\n' >"$SCRATCH/npm/npm"
chmod +x "$SCRATCH/npm/npm"

# PATH: the stubs, then a folder of the real tools the script uses (not the machine's npm).
TOOLS="$SCRATCH/tools"
mkdir -p "$TOOLS"
for t in sh grep env tee chmod rm; do ln -s "$(command -v "$t")" "$TOOLS/$t"; done
deps() { # INSTALLED UID_IS WITH_NPM
    : >"$SCRATCH/calls"
    local path="$STUBS:$TOOLS"
    [ "$3" = yes ] && path="$path:$SCRATCH/npm"
    env -i PATH="$path" INSTALLED="$1" UID_IS="$2" CALLS="$SCRATCH/calls" POLICY_RC_D="$POLICY" \
        sh "$ROOT/scripts/install-deps.sh" >"$SCRATCH/out" 2>&1
}

POLICY="$SCRATCH/policy-rc.d"
deps none 0 no
check_eq "bare system as root: exit 0" 0 "$?"
check_eq "... the lists are updated, then one install" "apt-get update -qq
apt-get install -y -qq --no-install-recommends" "$(grep ^apt-get "$SCRATCH/calls" | sed 's/ --no-install-recommends .*/ --no-install-recommends/')"
check_eq "... during the install a policy-rc.d refuses every service's start (nginx's, postgresql's)" \
    "policy nginx 101 policy nginx.service 101 policy postgresql 101" \
    "$(grep ^policy "$SCRATCH/calls" | tr '\n' ' ' | sed 's/ $//')"
check "... and is gone after it" test ! -e "$POLICY"
check_eq "... then nginx's system service is disabled at boot" "update-rc.d nginx disable" \
    "$(grep ^update-rc.d "$SCRATCH/calls")"
printf '#!/bin/sh\nexit 101\n' >"$POLICY"; chmod 755 "$POLICY"
deps none 0 no
check_eq "a system with a policy-rc.d of its own (a container's): it is used and left as it was" \
    "policy nginx 101 policy nginx.service 101 policy postgresql 101|#!/bin/sh" \
    "$(grep ^policy "$SCRATCH/calls" | tr '\n' ' ' | sed 's/ $//')|$(head -1 "$POLICY")"
rm -f "$POLICY"
install="$(grep 'apt-get install' "$SCRATCH/calls")"
for p in make build-essential pkg-config ca-certificates bc nodejs npm chromium; do
    check "... installs $p" grep -qw -- "$p" <<<"$install"
done
check "... without sudo" bash -c "! grep -q sudo '$SCRATCH/calls'"

deps none 1000 yes
check_eq "bare system as a user with sudo: exit 0" 0 "$?"
check_eq "... both apt-get calls through sudo" 2 "$(grep -c -e '^sudo apt-get' -e '^sudo env' "$SCRATCH/calls")"
check_eq "... and the policy-rc.d's writing, the disabling and the removal" \
    "sudo tee sudo chmod sudo update-rc.d sudo rm" \
    "$(grep -e '^sudo tee' -e '^sudo chmod' -e '^sudo rm' -e '^sudo update-rc.d' "$SCRATCH/calls" | tr '\n' ' ' | sed 's/ $//')"
check "... npm is left alone where one runs (NodeSource's node bundles it)" \
    bash -c "! grep -qw npm <<<'$(grep 'apt-get install' "$SCRATCH/calls")'"

rm "$STUBS/sudo"
deps none 1000 yes
check_eq "a user without sudo: exit 1" 1 "$?"
check "... told to run it as root" grep -q 'run as root' "$SCRATCH/out"
check "... nothing attempted" test ! -s "$SCRATCH/calls"

deps all 0 yes
check_eq "everything present: exit 0" 0 "$?"
check "... nothing installed, nothing updated" test ! -s "$SCRATCH/calls"
check "... and it says so" grep -q 'all packages present' "$SCRATCH/out"
done_testing
