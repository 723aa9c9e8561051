#!/usr/bin/env python3
"""The layering check of `make lint`: every #include "x.h" in batch/LAYER/*.c and *.h must
name a module of the same layer or one below. A module's layer is its folder under batch/;
the order of the layers is the `order:` line of scripts/layers.txt. Prints one line per
violation, "file:line: includes x.h (layer) from module (layer)", and exits 1 on any. A
folder the order lacks, a source file straight in batch/ and an include of a module that
is in no folder are violations too.

Usage: scripts/check-layers.py [ROOT]   (ROOT: the repository, default this script's parent)
"""
import os
import re
import sys


def read_order(path):
    rank = {}
    with open(path, encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            m = re.match(r"^order:\s*(.*)$", line)
            if not m:
                sys.exit(f"{path}:{n}: only an 'order:' line belongs here")
            for level, group in enumerate(m.group(1).split("<")):
                for name in group.split("="):
                    if name.strip() in rank:
                        sys.exit(f"{path}:{n}: {name.strip()} stands twice in the order")
                    rank[name.strip()] = level
    if not rank:
        sys.exit(f"{path}: no 'order:' line")
    return rank


def read_tree(batch):
    """module -> (layer, [relative paths]); straight files and a module in two folders."""
    layer_of, files, bad = {}, [], []
    for entry in sorted(os.listdir(batch)):
        full = os.path.join(batch, entry)
        if not os.path.isdir(full):
            if entry.endswith((".c", ".h")):
                bad.append(f"batch/{entry}:1: module {entry[:-2]} is in no layer folder")
            continue
        for name in sorted(os.listdir(full)):
            if not name.endswith((".c", ".h")):
                continue
            module = name[:-2]
            if layer_of.get(module, entry) != entry:
                bad.append(f"batch/{entry}/{name}:1: module {module} is in two layers "
                           f"({layer_of[module]}, {entry})")
            layer_of[module] = entry
            files.append((entry, name))
    return layer_of, files, bad


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    rank = read_order(os.path.join(root, "scripts", "layers.txt"))
    batch = os.path.join(root, "batch")
    layer_of, files, problems = read_tree(batch)
    for layer in sorted(set(layer_of.values())):
        if layer not in rank:
            problems.append(f"batch/{layer}/:1: layer {layer} is missing from the order in scripts/layers.txt")
    include = re.compile(r'^\s*#\s*include\s+"([^"]+)\.h"')
    for mine, name in files:
        if mine not in rank:
            continue
        rel = f"batch/{mine}/{name}"
        module = name[:-2]
        with open(os.path.join(batch, mine, name), encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                m = include.match(line)
                if not m:
                    continue
                target = os.path.basename(m.group(1))
                theirs = layer_of.get(target)
                if theirs is None:
                    problems.append(f"{rel}:{n}: includes {target}.h, a module in no layer folder")
                elif theirs in rank and rank[theirs] > rank[mine]:
                    problems.append(f"{rel}:{n}: includes {target}.h ({theirs}) from {module} ({mine}): "
                                    f"a lower layer must not reach up")
    for p in problems:
        print(p)
    if problems:
        sys.stdout.flush()
        print(f"layers: {len(problems)} violation(s); the order is scripts/layers.txt", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
