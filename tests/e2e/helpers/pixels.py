#!/usr/bin/env python3
"""Compares renders with reference renders pixel by pixel, within anti-aliasing: a pixel
that differs (by more than 64 gray levels) is still the same drawing when a pixel of the
other render at most one pixel away is within 64 levels of it, both ways. A rounded
coordinate moves an edge by part of a pixel; a missing or moved stroke, glyph or module
leaves pixels that nothing near explains.

    pixels.py REFERENCE PAGE...      exit 0 when every page is the same drawing

REFERENCE holds the pages one after the other as binary PBM (P4) or PGM (P5) images,
optionally xz- or gzip-compressed (the committed references: pdftoppm -mono, the pages
concatenated, xz); each PAGE is one such image, in page order.
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


def unexplained(a, b, w, h):
    """Pixels of a that differ from b with no pixel of b near them close in gray."""
    out = []
    for y in range(h):
        ra, rb = a[y * w:(y + 1) * w], b[y * w:(y + 1) * w]
        if ra == rb:
            continue
        for x in range(w):
            va = ra[x]
            if abs(va - rb[x]) <= TOLERANCE:
                continue
            near = any(abs(va - b[yy * w + xx]) <= TOLERANCE
                       for yy in range(max(0, y - 1), min(h, y + 2))
                       for xx in range(max(0, x - 1), min(w, x + 2)))
            if not near:
                out.append((x, y))
    return out


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    ref = images(open(sys.argv[1], "rb").read())
    pages = [images(open(p, "rb").read())[0] for p in sys.argv[2:]]
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
        bad = unexplained(a, b, wa, ha) + unexplained(b, a, wa, ha)
        if bad:
            xs, ys = [p[0] for p in bad], [p[1] for p in bad]
            print(f"page {n}: {len(bad)} pixels differ beyond anti-aliasing, within "
                  f"x {min(xs)}-{max(xs)}, y {min(ys)}-{max(ys)} (pixels from the top left)")
            failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
