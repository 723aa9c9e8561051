#!/usr/bin/env bash
# `make lint` as a suite of `make test`, so that CI, which runs the README's two commands,
# runs it too: the layers, machine paths, the module lists of the docs, cppcheck and
# clang-tidy on every file (clang-tidy one make target per file, two at a time). Each part
# is its own check so a failure names what broke; the tool's own output is in the log.
source "$(dirname "$0")/lib.sh"
cd "$ROOT" || exit 1
check "layers: no module includes a layer above its own" python3 scripts/check-layers.py
check "docs: README and docs/layers.md list every module" python3 scripts/module-docs.py
check "paths: no machine path or folder outside the repository" scripts/check-paths.sh
check "cppcheck and clang-tidy are clean (make -j2 lint)" make -s -j2 lint
done_testing
