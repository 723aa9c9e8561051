#!/bin/sh
# Installs the Debian packages that the build, the demo and the tests need. Idempotent:
# when everything is present it only checks and returns.
set -eu

PACKAGES="build-essential pkg-config libhpdf-dev libsqlite3-dev libxml2-dev libxml2-utils
zlib1g-dev libqrencode-dev libssl-dev fonts-ipaexfont-gothic fonts-ipaexfont-mincho
poppler-utils zbar-tools qpdf libcmocka-dev python3 sqlite3 clang libclang-rt-14-dev time
bc libmicrohttpd-dev libfreetype-dev libharfbuzz-dev fonts-ipamj-mincho libdmtx-dev
dmtx-utils libsodium-dev chromium chromium-driver python3-selenium wrk curl unzip"

missing=""
for p in $PACKAGES; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
        missing="$missing $p"
done
[ -z "$missing" ] && { echo "install-deps: all packages present"; exit 0; }

if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO=sudo
    else
        echo "install-deps: missing packages:$missing" >&2
        echo "install-deps: run as root: apt-get install$missing" >&2
        exit 1
    fi
else
    SUDO=""
fi
echo "install-deps: installing$missing"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
