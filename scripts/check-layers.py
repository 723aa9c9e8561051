#!/usr/bin/env python3
"""The layering check of `make lint`: every #include "x.h" in batch/*.c and batch/*.h must
name a module of the same layer or one below (scripts/layers.txt). Prints one line per
violation, "file:line: includes x.h (layer) from module (layer)", and exits 1 on any; a
module missing from the table is a violation too.

Usage: scripts/check-layers.py [ROOT]   (ROOT: the repository, default this script's parent)
"""
import os
import re
import sys


def read_table(path):
    layer_of, rank, current = {}, {}, None
    with open(path, encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            line = raw.split("#", 1)[0].rstrip()
            if not line.strip():
                continue
            m = re.match(r"^(\w+):\s*(.*)$", line)
            if m and m.group(1) == "order":
                for level, group in enumerate(m.group(2).split("<")):
                    for name in group.split("="):
                        rank[name.strip()] = level
                continue
            if m:
                current, words = m.group(1), m.group(2).split()
            elif raw[:1].isspace() and current:
                words = line.split()
            else:
                sys.exit(f"{path}:{n}: neither 'layer: modules' nor a continuation")
            for w in words:
                if w in layer_of:
                    sys.exit(f"{path}:{n}: {w} is in two layers ({layer_of[w]}, {current})")
                layer_of[w] = current
    for layer in set(layer_of.values()):
        if layer not in rank:
            sys.exit(f"{path}: layer {layer} is missing from the order line")
    return layer_of, rank


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    table = os.path.join(root, "scripts", "layers.txt")
    layer_of, rank = read_table(table)
    batch = os.path.join(root, "batch")
    bad = 0
    include = re.compile(r'^\s*#\s*include\s+"([^"]+)\.h"')
    for name in sorted(os.listdir(batch)):
        if not name.endswith((".c", ".h")):
            continue
        rel = f"batch/{name}"
        module = name[:-2]
        if module not in layer_of:
            print(f"{rel}:1: module {module} has no layer in scripts/layers.txt")
            bad += 1
            continue
        mine = layer_of[module]
        with open(os.path.join(batch, name), encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                m = include.match(line)
                if not m:
                    continue
                target = os.path.basename(m.group(1))
                theirs = layer_of.get(target)
                if theirs is None:
                    print(f"{rel}:{n}: includes {target}.h, a module with no layer in scripts/layers.txt")
                    bad += 1
                elif rank[theirs] > rank[mine]:
                    print(f"{rel}:{n}: includes {target}.h ({theirs}) from {module} ({mine}): "
                          f"a lower layer must not reach up")
                    bad += 1
    if bad:
        sys.stdout.flush()
        print(f"layers: {bad} violation(s); the table is scripts/layers.txt", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
