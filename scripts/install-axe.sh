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
npm install --no-audit --no-fund --no-save --prefix . "axe-core@$AXE_VERSION" >&2
test -f node_modules/axe-core/axe.min.js
