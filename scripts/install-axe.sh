#!/usr/bin/env bash
# Installs axe-core (the accessibility checker the browser suite runs in every page) into
# tests/browser/node_modules, which git ignores. Run once; the suite calls it when needed.
set -euo pipefail
cd "$(dirname "$0")/../tests/browser"
AXE_VERSION=4.14.1
if [ -f node_modules/axe-core/axe.min.js ] &&
    [ "$(node -p 'require("./node_modules/axe-core/package.json").version')" = "$AXE_VERSION" ]; then
    exit 0
fi
command -v npm >/dev/null || {
    echo "install-axe: npm not found (Debian: apt-get install npm)" >&2
    exit 1
}
# The system's certificate store, also for a node that does not read it by itself
# (NodeSource's): a network that inspects TLS puts its CA there, and only there.
if [ -z "${NODE_EXTRA_CA_CERTS:-}" ] && [ -r /etc/ssl/certs/ca-certificates.crt ]; then
    export NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
fi
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! npm install --no-audit --no-fund --no-save --prefix . "axe-core@$AXE_VERSION" >"$log" 2>&1; then
    cat "$log" >&2
    if grep -qiE 'CERT|certificate' "$log"; then
        echo "install-axe: npm could not verify the registry's TLS certificate. Behind a proxy" \
            "that inspects TLS, put its CA certificate in /usr/local/share/ca-certificates/ and" \
            "run update-ca-certificates, then run this again." >&2
    fi
    exit 1
fi
cat "$log" >&2
test -f node_modules/axe-core/axe.min.js
