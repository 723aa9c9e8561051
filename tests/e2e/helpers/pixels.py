#!/usr/bin/env python3
"""Compares renders with reference renders pixel by pixel, within anti-aliasing: a pixel
that differs (by more than 64 gray levels) is still the same drawing when a pixel of the
other render at most one pixel away is within 64 levels of it, both ways. A rounded
coordinate moves an edge by part of a pixel; a missing or moved stroke, glyph or module
leaves pixels that nothing near explains.

    pixels.py [--dpi N] [--except odd|even:X,Y,W,H]... REFERENCE PAGE...
                                     exit 0 when every page is the same drawing

REFERENCE holds the pages one after the other as binary PBM (P4) or PGM (P5) images,
optionally xz- or gzip-compressed (the committed references: pdftoppm -mono, the pages
concatenated, xz); each PAGE is one such image, in page order. --except leaves a box out
of the comparison on the odd or even pages (millimetres from the top left, at --dpi,
default 72): where a symbol's modules are drawn another way, which the rasteriser places
a pixel or two apart at low resolutions; its decoding is the test for those.
"""
import gzip
import lzma
import sys

TOLERANCE = 64
# A PBM byte's eight pixels, one byte each (1 is black in a PBM).
EXPAND = [bytes(0 if c & (0x80 >> i) else 255 for i in range(8)) for c in range(256)]


def images(raw):
    """The images of a concatenation, each as (width, height, one byte a pixel 0-255)."""
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    elif raw[:6] == b"\xfd7zXZ\x00":
        raw = lzma.decompress(raw)
    pos, out = 0, []
    while pos < len(raw):
        fields = []
        want = 3 if raw[pos:pos + 2] == b"P4" else 4
        while len(fields) < want:
            while raw[pos:pos + 1].isspace():
                pos += 1
            if raw[pos:pos + 1] == b"#":
                pos = raw.index(b"\n", pos)
                continue
            end = pos
            while end < len(raw) and not raw[end:end + 1].isspace():
                end += 1
            fields.append(raw[pos:end])
            pos = end
        pos += 1  # the one whitespace byte before the pixels
        w, h = int(fields[1]), int(fields[2])
        if fields[0] == b"P4":
            row = (w + 7) // 8
            bits = raw[pos:pos + row * h]
            pos += row * h
            out.append((w, h, b"".join(
                b"".join(EXPAND[c] for c in bits[y * row:(y + 1) * row])[:w] for y in range(h))))
        elif fields[0] == b"P5" and fields[3] == b"255":
            out.append((w, h, raw[pos:pos + w * h]))
            pos += w * h
        else:
            sys.exit("pixels: not a binary PBM or 8-bit PGM")
        while pos < len(raw) and raw[pos:pos + 1].isspace():
            pos += 1
    return out


def unexplained(a, b, w, h, skip):
    """Pixels of a that differ from b with no pixel of b near them close in gray, outside
    the boxes skip (x0, y0, x1, y1 in pixels)."""
    out = []
    for y in range(h):
        ra, rb = a[y * w:(y + 1) * w], b[y * w:(y + 1) * w]
        if ra == rb:
            continue
        for x in range(w):
            va = ra[x]
            if abs(va - rb[x]) <= TOLERANCE:
                continue
            if any(x0 <= x < x1 and y0 <= y < y1 for x0, y0, x1, y1 in skip):
                continue
            near = any(abs(va - b[yy * w + xx]) <= TOLERANCE
                       for yy in range(max(0, y - 1), min(h, y + 2))
                       for xx in range(max(0, x - 1), min(w, x + 2)))
            if not near:
                out.append((x, y))
    return out


def main():
    args, dpi, boxes = sys.argv[1:], 72.0, {1: [], 0: []}
    while args and args[0].startswith("--"):
        opt = args.pop(0)
        if opt == "--dpi" and args:
            dpi = float(args.pop(0))
        elif opt == "--except" and args:
            sides, _, box = args.pop(0).partition(":")
            x, y, w, h = (float(v) for v in box.split(","))
            boxes[1 if sides == "odd" else 0].append((x, y, w, h))
        else:
            sys.exit(__doc__)
    if len(args) < 2:
        sys.exit(__doc__)
    px = dpi / 25.4
    # A pixel more on every side: the box's edge pixels are partly the symbol's.
    skip = {k: [(int(x * px) - 1, int(y * px) - 1, int((x + w) * px) + 2, int((y + h) * px) + 2)
                for x, y, w, h in v] for k, v in boxes.items()}
    ref = images(open(args[0], "rb").read())
    pages = [images(open(p, "rb").read())[0] for p in args[1:]]
    if len(ref) != len(pages):
        print(f"{len(pages)} pages, the reference has {len(ref)}")
        return 1
    failed = 0
    for n, ((wa, ha, a), (wb, hb, b)) in enumerate(zip(ref, pages), 1):
        if (wa, ha) != (wb, hb):
            print(f"page {n}: {wb}x{hb} pixels, the reference {wa}x{ha}")
            failed += 1
            continue
        if a == b:
            continue
        sk = skip[n % 2]
        bad = unexplained(a, b, wa, ha, sk) + unexplained(b, a, wa, ha, sk)
        if bad:
            xs, ys = [p[0] for p in bad], [p[1] for p in bad]
            print(f"page {n}: {len(bad)} pixels differ beyond anti-aliasing, within "
                  f"x {min(xs)}-{max(xs)}, y {min(ys)}-{max(ys)} (pixels from the top left)")
            failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
