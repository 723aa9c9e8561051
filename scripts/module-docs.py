#!/usr/bin/env python3
"""The module lists of docs/layers.md and README.md ("Code layout"), generated from the tree:
one entry per module (a .c/.h pair, or a lone .c or .h; NAME_int.h is NAME's private header)
under its layer folder, in the order of scripts/layers.txt. docs/layers.md gives each module
with the first sentence of its header comment; the README gives the names by folder. Both
lists sit between <!-- modules:begin --> and <!-- modules:end -->.

Usage: scripts/module-docs.py [--write] [ROOT]
  without --write: exits 1 naming every module missing from either list and every entry that
  is no module (a changed header sentence is not a failure: --write refreshes the text).
"""
import os
import re
import sys
import textwrap

BEGIN, END = "<!-- modules:begin -->", "<!-- modules:end -->"


def layer_order(root):
    with open(os.path.join(root, "scripts", "layers.txt"), encoding="utf-8") as f:
        for raw in f:
            line = raw.split("#", 1)[0].strip()
            if line.startswith("order:"):
                return [n.strip() for n in re.split(r"[<=]", line[len("order:"):])]
    sys.exit("scripts/layers.txt: no order line")


def modules(root):
    """[(layer, [(module, summary)])] in layer order."""
    batch = os.path.join(root, "batch")
    out = []
    for layer in layer_order(root):
        folder = os.path.join(batch, layer)
        if not os.path.isdir(folder):
            continue
        names = sorted({n[:-2] for n in os.listdir(folder) if n.endswith((".c", ".h"))})
        names = [n for n in names if not (n.endswith("_int") and n[:-4] in names)]
        out.append((layer, [(n, summary(folder, n)) for n in names]))
    return out


def summary(folder, name):
    """The first sentence of the module's header comment (its .h, else its .c)."""
    for ext in (".h", ".c"):
        path = os.path.join(folder, name + ext)
        if not os.path.exists(path):
            continue
        with open(path, encoding="utf-8") as f:
            text = f.read()
        m = re.match(r"\s*/\*(.*?)\*/", text, re.S)
        if not m:
            continue
        words = " ".join(line.strip().lstrip("*").strip() for line in m.group(1).splitlines())
        words = re.sub(r"^" + re.escape(name) + r":\s*", "", words.strip())
        first = re.split(r"(?<=[^.][.])\s", words, maxsplit=1)[0]
        return first.rstrip(".")
    return ""


def layers_block(mods):
    lines = []
    for layer, entries in mods:
        lines.append(f"### {layer}/")
        lines.append("")
        for name, what in entries:
            lines.append(f"- `{name}`: {what}" if what else f"- `{name}`")
        lines.append("")
    return "\n".join(lines).rstrip("\n")


def readme_block(mods):
    lines = ["```"]
    for layer, entries in mods:
        wrapped = textwrap.wrap(", ".join(n for n, _ in entries), width=82)
        lines.append(f"{layer + '/':10}{wrapped[0]}")
        lines.extend(" " * 10 + w for w in wrapped[1:])
    lines.append("```")
    return "\n".join(lines)


def region(text, path):
    i, j = text.find(BEGIN), text.find(END)
    if i < 0 or j < i:
        sys.exit(f"{path}: no {BEGIN} ... {END} region")
    return i + len(BEGIN), j


def main():
    args = [a for a in sys.argv[1:] if a != "--write"]
    write = "--write" in sys.argv[1:]
    root = args[0] if args else os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    mods = modules(root)
    names = {n for _, entries in mods for n, _ in entries}
    problems = []
    for rel, block in (("docs/layers.md", layers_block(mods)), ("README.md", readme_block(mods))):
        path = os.path.join(root, rel)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        i, j = region(text, rel)
        if write:
            with open(path, "w", encoding="utf-8") as f:
                f.write(text[:i] + "\n" + block + "\n" + text[j:])
            continue
        listed = set(re.findall(r"[A-Za-z0-9_]+", text[i:j]))
        for n in sorted(names - listed):
            problems.append(f"{rel}: module {n} is missing from its module list")
        if rel == "docs/layers.md":
            for n in sorted(set(re.findall(r"^- `([A-Za-z0-9_]+)`", text[i:j], re.M)) - names):
                problems.append(f"{rel}: {n} is listed but is no module under batch/")
    for p in problems:
        print(p)
    if problems:
        print("module-docs: run scripts/module-docs.py --write", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
