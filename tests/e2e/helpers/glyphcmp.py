#!/usr/bin/env python3
"""Compares a glyph drawn in a PDF (a pdftoppm -gray crop, PGM) with a reference rendering
(PNG written by --to-png from glyphref's PGM): both cut to their ink, the best overlap over
small shifts, printed as intersection over union of the ink (1.0 = the same pixels).

    glyphcmp.py CROP.pgm REF.png       -> prints the score
    glyphcmp.py --to-png IN.pgm OUT.png
Standard library only (zlib)."""
import struct
import sys
import zlib


def read_pgm(path):
    data = open(path, "rb").read()
    fields, pos = [], 0
    while len(fields) < 4:  # P5 width height maxval, comments allowed
        while data[pos:pos + 1].isspace():
            pos += 1
        if data[pos:pos + 1] == b"#":
            pos = data.index(b"\n", pos)
            continue
        start = pos
        while not data[pos:pos + 1].isspace():
            pos += 1
        fields.append(data[start:pos])
    assert fields[0] == b"P5", path
    w, h = int(fields[1]), int(fields[2])
    pix = data[pos + 1:pos + 1 + w * h]
    return w, h, [pix[y * w:(y + 1) * w] for y in range(h)]


def write_png(path, w, h, rows):
    raw = b"".join(b"\0" + bytes(r) for r in rows)

    def chunk(tag, body):
        return (struct.pack(">I", len(body)) + tag + body +
                struct.pack(">I", zlib.crc32(tag + body) & 0xFFFFFFFF))
    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0)) +
           chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))
    open(path, "wb").write(png)


def read_png(path):
    """8-bit grey PNGs, any filter (only write_png's output is kept, but be general)."""
    data = open(path, "rb").read()
    pos, idat, w, h = 8, b"", 0, 0
    while pos < len(data):
        n, tag = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if tag == b"IHDR":
            w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and ctype == 0, "8-bit grey PNG expected"
        elif tag == b"IDAT":
            idat += body
        pos += 12 + n
    raw, rows, prev = zlib.decompress(idat), [], bytearray(w)
    for y in range(h):
        f, line = raw[y * (w + 1)], bytearray(raw[y * (w + 1) + 1:(y + 1) * (w + 1)])
        for x in range(w):
            a = line[x - 1] if x else 0
            b, c = prev[x], prev[x - 1] if x else 0
            if f == 1:
                line[x] = (line[x] + a) & 255
            elif f == 2:
                line[x] = (line[x] + b) & 255
            elif f == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return w, h, rows


def ink(w, h, rows):
    """The set of dark pixels, moved so the ink's bounding box starts at 0,0."""
    pts = {(x, y) for y in range(h) for x in range(w) if rows[y][x] < 128}
    if not pts:
        return set()
    x0, y0 = min(p[0] for p in pts), min(p[1] for p in pts)
    return {(x - x0, y - y0) for x, y in pts}


def score(a, b):
    if not a or not b:
        return 0.0
    best = 0.0
    for dx in range(-2, 3):
        for dy in range(-2, 3):
            moved = {(x + dx, y + dy) for x, y in b}
            best = max(best, len(a & moved) / len(a | moved))
    return best


def main():
    if sys.argv[1] == "--to-png":
        w, h, rows = read_pgm(sys.argv[2])
        write_png(sys.argv[3], w, h, rows)
        return
    a = ink(*read_pgm(sys.argv[1]))
    b = ink(*read_png(sys.argv[2]))
    print(f"{score(a, b):.3f}")


if __name__ == "__main__":
    main()
