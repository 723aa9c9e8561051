#!/usr/bin/env python3
"""Customer barcodes measured in a PDF against Japan Post's manual (p12, 10 pt).

Usage: barmeasure.py QDF_PDF PGM_DIR DPI
QDF_PDF: the print file after `qpdf --qdf --object-streams=disable` (uncompressed content).
PGM_DIR: its pages from `pdftoppm -gray -r DPI` (page-N.pgm), to check the clear zone.
Prints one line per barcode: "page symbols" (decoded back from the bar heights), and
"FAIL what" for every measure out of tolerance; exit 1 if any."""
import glob
import re
import sys

MM = 72 / 25.4
TOL = {  # the manual's tolerances at the standard size, millimetres
    "long": (3.4, 3.6), "timing": (1.05, 1.35), "width": (0.5, 0.7), "space": (0.45, 0.6),
}
BARS = {"FTT": 0, "FFT": 1, "FDA": 2, "DFA": 3, "FAD": 4, "FTF": 5, "DAF": 6, "AFD": 7,
        "ADF": 8, "TFF": 9, "TFT": "-", "DAT": "CC1", "DTA": "CC2", "ADT": "CC3", "TDA": "CC4",
        "ATD": "CC5", "TAD": "CC6", "TTF": "CC7", "FFF": "CC8"}
BLOCK = re.compile(r"^q\n([\d.]+) 0 0 -([\d.]+) ([\d.]+) ([\d.]+) cm\n0 g\n((?:[\d.]+ [\d.]+ [\d.]+ [\d.]+ re\n){67})f\nQ$", re.M)


def read_pgm(path):
    data = open(path, "rb").read()
    parts = data.split(maxsplit=4)
    w, h = int(parts[1]), int(parts[2])
    return w, h, parts[4][-w * h:]


def main():
    qdf, pgm_dir, dpi = sys.argv[1], sys.argv[2], float(sys.argv[3])
    text = open(qdf, "rb").read().decode("latin-1")
    pages = sorted(glob.glob(pgm_dir + "/*.pgm"), key=lambda p: int(re.findall(r"(\d+)\.pgm$", p)[0]))
    # page content streams in page order: qpdf --qdf marks each "%% Contents for page N"
    chunks = re.split(r"%% Contents for page (\d+)", text)
    fails = 0
    found = 0
    for k in range(1, len(chunks), 2):
        page = int(chunks[k])
        for m in BLOCK.finditer(chunks[k + 1]):
            found += 1
            u, e, f = float(m.group(1)), float(m.group(3)), float(m.group(4))
            rects = [tuple(map(float, l.split()[:4])) for l in m.group(5).strip().split("\n")]
            mm = lambda v: v * u / MM
            hs = sorted({r[3] for r in rects})
            long_h = max(hs)
            timing = min(hs)
            semi = [h for h in hs if h not in (long_h, timing)]
            width = {r[2] for r in rects}
            pitch = {round(rects[i + 1][0] - rects[i][0], 6) for i in range(66)}
            checks = [("long", mm(long_h)), ("timing", mm(timing))]
            checks += [("width", mm(w)) for w in width]
            checks += [("space", mm(p - w)) for p in pitch for w in width]
            for name, v in checks:
                lo, hi = TOL[name]
                if not lo - 1e-3 <= v <= hi + 1e-3:  # PDF numbers carry 5 decimals
                    print("FAIL page %d: %s bar %.3f mm outside %.2f-%.2f" % (page, name, v, lo, hi))
                    fails += 1
            want_semi = mm(timing) + (mm(long_h) - mm(timing)) / 2
            if len(semi) != 1 or abs(mm(semi[0]) - want_semi) > 0.05:
                print("FAIL page %d: semi-long %s mm, want %.2f" % (page, [mm(s) for s in semi], want_semi))
                fails += 1
            if abs(mm(long_h) / mm(timing) - 3) > 0.35:
                print("FAIL page %d: long:timing %.2f, want 3:1" % (page, mm(long_h) / mm(timing)))
                fails += 1
            asc = (long_h - timing) / 2
            code = ""
            for x, y, w, h in rects:
                if h == long_h and y == 0:
                    code += "F"
                elif h == timing and y == asc:
                    code += "T"
                elif y == 0:
                    code += "A"
                elif y == asc and h != timing:
                    code += "D"
                else:
                    code += "?"
            if code[:2] != "FD" or code[-2:] != "DF":
                print("FAIL page %d: no start/stop (%s)" % (page, code))
                fails += 1
            syms = [BARS.get(code[i:i + 3], "?") for i in range(2, 65, 3)]
            print(page, " ".join(map(str, syms)))
            # clear zone: 2 mm of white on every side of the bars (pixels of the rendered page)
            if page <= len(pages):
                w_px, h_px, px = read_pgm(pages[page - 1])
                page_h = h_px * 72 / dpi
                x0, x1 = e, e + mm(rects[-1][0] + rects[-1][2]) * MM
                top, bottom = f, f - mm(long_h) * MM
                s = dpi / 72
                c = 2 * MM
                dark = 0
                for yy in range(int((page_h - top - c) * s), int((page_h - bottom + c) * s) + 1):
                    for xx in range(int((x0 - c) * s), int((x1 + c) * s) + 1):
                        inside = (x0 - 1) * s <= xx <= (x1 + 1) * s and \
                                 (page_h - top - 1) * s <= yy <= (page_h - bottom + 1) * s
                        if not inside and 0 <= xx < w_px and 0 <= yy < h_px and px[yy * w_px + xx] < 128:
                            dark += 1
                if dark:
                    print("FAIL page %d: %d dark pixels within the 2 mm clear zone" % (page, dark))
                    fails += 1
    if not found:
        print("FAIL no customer barcode found")
        fails += 1
    sys.exit(1 if fails else 0)


if __name__ == "__main__":
    main()
