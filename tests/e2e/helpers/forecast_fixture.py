#!/usr/bin/env python3
"""Synthetic data for the forecast suite.

  forecast_fixture.py residents OUT.csv SEED N FIRST LAST DISTRICTS
      N residents whose certificates expire between FIRST and LAST (ISO dates), spread
      over DISTRICTS (comma-separated codes), with every exclusion the night knows
      (deceased, moved out, on hold, card renewal), certificates that share a day and
      ones that do not, and expiries on month ends (the window's clamped arithmetic).

  forecast_fixture.py history OUT.csv SEED N FIRST LAST SURGE_DAY SURGE_N
      Residents of district 01 whose windows open at random between FIRST and LAST, plus
      SURGE_N whose windows all open on SURGE_DAY.

  forecast_fixture.py book DB.sqlite SEED CURVE TODAY
      Once those are ingested into DB: each resident whose window opened before TODAY gets
      a published notice and, with the weekly shares of CURVE (space-separated), an
      attended booking on a day drawn uniformly inside the chosen week (before TODAY); the
      rest never come.
"""
import csv
import datetime as dt
import random
import sqlite3
import sys

HEADER = ["resident_id", "name", "name_kana", "birth_date", "postal_code", "address", "address2",
          "district", "card_expiry", "sign_cert_expiry", "user_cert_expiry", "face_auth",
          "adult_ward", "status", "hold"]


def d(s):
    return dt.date.fromisoformat(s)


def add_months_clamped(day, months):
    m = day.month - 1 + months
    y, m = day.year + m // 12, m % 12 + 1
    last = [31, 29 if (y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)) else 28, 31, 30, 31, 30,
            31, 31, 30, 31, 30, 31][m - 1]
    return dt.date(y, m, min(day.day, last))


def window_start(expiry):
    return add_months_clamped(expiry, -3) + dt.timedelta(days=1)


def expiry_for_start(start):
    """An expiry whose window opens on start (searching the days around three months on)."""
    e = add_months_clamped(start, 3)
    for delta in range(-4, 5):
        cand = e + dt.timedelta(days=delta)
        if window_start(cand) == start:
            return cand
    return None


def row(i, district, card, sign, user, status="active", hold=0):
    return [f"{i:010d}", "試験　太郎", "シケン　タロウ", "1980-01-02", "100-0001",
            "試験市中央1丁目2番3号", "", district, card.isoformat(),
            sign.isoformat() if sign else "", user.isoformat() if user else "", 0, 0, status,
            hold]


def residents(out, seed, n, first, last, districts):
    rnd = random.Random(int(seed))
    first, last = d(first), d(last)
    span = (last - first).days
    codes = districts.split(",")
    with open(out, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(HEADER)
        for i in range(1, int(n) + 1):
            e = first + dt.timedelta(days=rnd.randrange(span + 1))
            if rnd.random() < 0.1:  # a month's last day
                e = add_months_clamped(e.replace(day=1), 1) - dt.timedelta(days=1)
            card = add_months_clamped(e, 60)
            sign, user = e, e
            kind = rnd.random()
            status, hold = "active", 0
            if kind < 0.05:
                status = "deceased"
            elif kind < 0.10:
                status = "moved_out"
            elif kind < 0.15:
                hold = 1
            elif kind < 0.20:  # the card itself expires within three months: card renewal
                card = e + dt.timedelta(days=rnd.randrange(0, 80))
            elif kind < 0.30:  # two letters: the certificates on different days
                user = e + dt.timedelta(days=rnd.randrange(1, 400))
                card = add_months_clamped(max(sign, user), 60)
            elif kind < 0.35:  # user certificate only
                sign = None
            w.writerow(row(i, rnd.choice(codes), card, sign, user, status, hold))


def history(out, seed, n, first, last, surge_day, surge_n):
    rnd = random.Random(int(seed))
    first, last = d(first), d(last)
    span = (last - first).days
    with open(out, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(HEADER)
        starts = [first + dt.timedelta(days=rnd.randrange(span + 1)) for _ in range(int(n))]
        starts += [d(surge_day)] * int(surge_n)
        for i, s in enumerate(starts, 1):
            e = expiry_for_start(s)
            if e is None:
                continue
            w.writerow(row(i, "01", add_months_clamped(e, 60), e, e))


def book(db, seed, curve, today):
    """Notices for every resident whose window opened before today; bookings by the curve."""
    rnd = random.Random(int(seed))
    shares = [float(x) for x in curve.split()]
    today = d(today)
    con = sqlite3.connect(db)
    rows = con.execute("SELECT resident_id, sign_cert_expiry FROM residents").fetchall()
    for rid_n, (resident, expiry) in enumerate(rows, 1):
        s = window_start(d(expiry))
        if s >= today:
            continue
        rid = f"T{rid_n:09d}"
        con.execute("INSERT INTO notices (resident_id, cert_expiry, rid, variant, status, run_id, "
                    "created_at, updated_at) VALUES (?, ?, ?, 'SU-R', 'published', 1, "
                    "'2020-01-01', '2020-01-01')", (resident, expiry, rid))
        u, acc, week = rnd.random(), 0.0, None
        for k, p in enumerate(shares):
            acc += p
            if u < acc:
                week = k
                break
        if week is None:
            continue
        day = s + dt.timedelta(days=7 * week + rnd.randrange(7))
        if day >= today:  # not yet happened: no mark yet
            continue
        con.execute("INSERT INTO bookings (rid, office, day, start, status, by_whom, created_at, "
                    "attendance, attended_at) VALUES (?, 'center', ?, '09:00', 'active', 'web', "
                    "'2020-01-01', 'done', ?)", (rid, day.isoformat(), day.isoformat()))
    con.commit()
    con.close()


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "residents":
        residents(*args)
    elif cmd == "history":
        history(*args)
    elif cmd == "book":
        book(*args)
    else:
        sys.exit(__doc__)
