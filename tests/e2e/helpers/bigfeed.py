#!/usr/bin/env python3
"""bigfeed.py SRC_BOOKING_DIR DST_DIR N [RUN]: a copy of a night's feed with N more synthetic
reservation IDs (valid check symbols, fixed seed), its feed.json rewritten as a later run of the
same night (run RUN, default the source's + 1) with the new row count and SHA-256: what a
large city's feed looks like to `feed import`, without a night of that size."""
import hashlib
import json
import random
import sys

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def gf32_mul(a, b):
    p = 0
    while b:
        if b & 1:
            p ^= a
        b >>= 1
        a <<= 1
        if a & 0x20:
            a ^= 0x25
    return p


def rid(rng):
    digits = [rng.randrange(32) for _ in range(11)]
    s, w = 0, 1
    for d in digits:
        s ^= gf32_mul(w, d)
        w = gf32_mul(w, 2)
    inv = 1
    for _ in range(31 - 11):
        inv = gf32_mul(inv, 2)
    digits.append(gf32_mul(inv, s))
    return "".join(ALPHABET[d] for d in digits)


def main():
    src, dst, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    meta = json.load(open(f"{src}/feed.json", encoding="utf-8"))
    lines = open(f"{src}/feed.csv", "rb").read().split(b"\r\n")
    head, rows = lines[0], [line for line in lines[1:] if line]
    seen = {r.split(b",")[0] for r in rows}
    rng = random.Random(24)
    want = len(rows) + n
    while len(rows) < want:
        r = rid(rng).encode()
        if r in seen:
            continue
        seen.add(r)
        rows.append(r + b",2026-11-20,2027-02-19,2027-02-19,01,%02d%02d,2026-12-01,book"
                    % (rng.randrange(1, 13), rng.randrange(1, 29)))
    rows.sort()
    body = b"\r\n".join([head] + rows) + b"\r\n"
    open(f"{dst}/feed.csv", "wb").write(body)
    meta["run"] = int(sys.argv[4]) if len(sys.argv) > 4 else meta["run"] + 1
    meta["rows"] = len(rows)
    meta["sha256"] = hashlib.sha256(body).hexdigest()
    json.dump(meta, open(f"{dst}/feed.json", "w", encoding="utf-8"), ensure_ascii=False, indent=2)


main()
