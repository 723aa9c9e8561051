#!/bin/sh
# Installs the Debian packages that the build, the demo and the tests need, on Debian 12 from
# a bare minimal system up (no make, no compiler), as root or as a user with sudo.
# Idempotent: when everything is present it only checks and returns. Plain sh: it runs
# before anything else is installed (`sh scripts/install-deps.sh`).
set -eu

# One package or a few per line, so that additions merge. ca-certificates: npm and curl
# fetch over https.
PACKAGES="
build-essential pkg-config make ca-certificates
libhpdf-dev libsqlite3-dev libxml2-dev libxml2-utils zlib1g-dev libqrencode-dev libssl-dev
fonts-ipaexfont-gothic fonts-ipaexfont-mincho
poppler-utils zbar-tools qpdf libcmocka-dev python3 sqlite3
gettext fonts-dejavu-core fonts-nanum fonts-wqy-microhei
clang clang-tidy cppcheck clang-format libclang-rt-14-dev time bc
libmicrohttpd-dev libfreetype-dev libharfbuzz-dev fonts-ipamj-mincho
libdmtx-dev dmtx-utils libsodium-dev
ghostscript
chromium chromium-driver python3-selenium
wrk curl unzip
git
postgresql libpq-dev
nginx-light
openssl
fonts-morisawa-bizud-gothic fonts-morisawa-bizud-mincho
nodejs
"

missing=""
for p in $PACKAGES; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
        missing="$missing $p"
done
# axe-core comes from npm. A node from elsewhere (NodeSource's nodejs bundles npm) has its
# own npm; Debian's npm package would conflict with it, so it is wanted only when no npm runs.
command -v npm >/dev/null 2>&1 || missing="$missing npm"
[ -z "$missing" ] && { echo "install-deps: all packages present"; exit 0; }

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null 2>&1; then
        echo "install-deps: missing packages:$missing" >&2
        echo "install-deps: run as root (su -c 'sh scripts/install-deps.sh') or install sudo" >&2
        exit 1
    fi
    SUDO="sudo"
fi
echo "install-deps: installing$missing"
# A bare system has no package lists yet.
$SUDO apt-get update -qq
# No service of what is installed here starts: the tests run their own PostgreSQL and nginx
# (unprivileged, loopback, free ports). A system service would stay behind on a shared
# machine or in CI's chroot (the host's network; a dbus or nginx left running there keeps
# the chroot busy), and nginx's default site on port 80 fails the install where that port is
# taken. A policy-rc.d refuses every start for the install (where the system has none of its
# own: a container's refuses everything already), then nginx's service is disabled at boot.
POLICY="${POLICY_RC_D:-/usr/sbin/policy-rc.d}"
if [ ! -e "$POLICY" ]; then
    printf '#!/bin/sh\nexit 101\n' |
        $SUDO tee "$POLICY" >/dev/null
    $SUDO chmod 755 "$POLICY"
    trap '$SUDO rm -f "$POLICY"' EXIT
fi
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
case " $missing " in *" nginx-light "*) $SUDO update-rc.d nginx disable >/dev/null 2>&1 || true ;; esac
echo "install-deps: done"
