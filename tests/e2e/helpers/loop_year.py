#!/usr/bin/env python3
"""A simulated year for the loop suite (tests/e2e/loop.sh): who renewed, who booked, who
lapsed, drawn with a known take-up per district and age band, and what takeup.csv must say.

  loop_year.py plan DIR SEED N FIRST NIGHTS STEP REMINDER_DAYS LEAD_DAYS

writes into DIR:
  nights.txt           one night a line (ISO), FIRST and every STEP days after, NIGHTS of
                       them: a reduced but faithful calendar (every rule is a "first night
                       on or after" rule, so days between nights move the days a renewal,
                       a lapse or a reminder is seen on, never the rules' logic)
  NNN/input.csv        that night's export: every resident on the first night, then only
                       the records that changed (a renewal: later expiries, one in ten a new
                       card; a move or a death) and some unchanged ones (the same expiry
                       again, which is no renewal)
  NNN/bookings.tsv     bookings made since the night before: resident_id, cert_expiry,
                       office, day, made_on, attendance (the booking service's table, as
                       the night's database holds it until bookings come across the wall)
  expect-district.csv, expect-age.csv   takeup.csv as the generator counts it
  expect-reminded.txt  resident_id of every resident the reminder rule names
  cancelled.txt        resident_id of the residents who booked and renewed before the day

N residents: a fifth of them have certificates expiring in the year (their letters, visits,
reminders and lapses are simulated), the rest later (never due within the year).
"""
import csv
import datetime as dt
import os
import random
import sys

HEADER = ["resident_id", "name", "name_kana", "birth_date", "postal_code", "address", "address2",
          "district", "card_expiry", "sign_cert_expiry", "user_cert_expiry", "face_auth",
          "adult_ward", "status", "hold"]
DISTRICTS = ["01", "02", "03"]          # required, optional, walk-in (the demo config)
OFFICE = {"01": "main", "02": "north"}  # where a district books; 03 books nowhere
# The known take-up: the share who ever go, per district and per age band at expiry.
TAKE_DISTRICT = {"01": 0.80, "02": 0.70, "03": 0.60}
TAKE_AGE = {"0-9": 0.9, "10-19": 0.9, "20-29": 0.85, "30-39": 0.9, "40-49": 0.95, "50-59": 1.0,
            "60-69": 1.05, "70-79": 1.0, "80+": 0.85}
BOOK_SHARE = {"01": 1.0, "02": 0.5, "03": 0.0}
REMINDER_RESPONSE = 0.35  # of those reminded, the share who go after it
WITHDRAW = 0.03
CANCEL_COHORT = 0.02      # of those who book: renew the day after booking, before its day
NEW_CARD = 0.10           # of renewals: a reissued card (new card and certificate expiries)
SAME_AGAIN = 600          # residents exported again unchanged on some night


def D(s):
    return dt.date.fromisoformat(s)


def add_months_clamped(day, months):
    m = day.month - 1 + months
    y, m = day.year + m // 12, m % 12 + 1
    last = [31, 29 if (y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)) else 28, 31, 30, 31, 30,
            31, 31, 30, 31, 30, 31][m - 1]
    return dt.date(y, m, min(day.day, last))


def age_band(birth, day):
    age = day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
    return "80+" if age >= 80 else f"{age // 10 * 10}-{age // 10 * 10 + 9}"


def first_night(nights, day, after=False):
    """The first night on (or after, strictly) day; None past the year."""
    for n in nights:
        if n > day or (n == day and not after):
            return n
    return None


class Resident:
    def __init__(self, i, rnd, first):
        self.id = f"{i:010d}"
        self.district = DISTRICTS[i % 3]
        self.birth = dt.date(1938 + rnd.randrange(80), 1 + rnd.randrange(12), 1 + rnd.randrange(28))
        self.in_year = rnd.random() < 0.2
        if self.in_year:
            self.expiry = D("2027-04-20") + dt.timedelta(days=rnd.randrange(225))
        else:
            self.expiry = D("2028-06-01") + dt.timedelta(days=rnd.randrange(1300))
        self.card = dt.date(2035, 1, 1) + dt.timedelta(days=i % 365)
        self.status = "active"

    def row(self, sign=None, user=None, card=None, status=None):
        e = self.expiry
        return [self.id, "試験　太郎", "シケン　タロウ", self.birth.isoformat(), "486-0816",
                "春日井市東野新町2丁目13番3号", "", self.district,
                (card or self.card).isoformat(), (sign or e).isoformat(), (user or e).isoformat(),
                0, 0, status or self.status, 0]


def plan(out, seed, n, first, count, step, reminder_days, lead_days):
    rnd = random.Random(int(seed))
    first, count, step = D(first), int(count), int(step)
    reminder_days, lead_days = int(reminder_days), int(lead_days)
    nights = [first + dt.timedelta(days=step * k) for k in range(count)]
    people = [Resident(i, rnd, first) for i in range(1, int(n) + 1)]
    changes = {night: [] for night in nights}   # night -> rows
    bookings = {night: [] for night in nights}  # night -> booking rows
    groups = {"district": {}, "age": {}}
    reminded, cancelled = [], []

    def count(kind, key, field, days=None):
        g = groups[kind].setdefault(key, {"letters": 0, "reminders": 0, "renewed_before_expiry": 0,
                                          "renewed_after_reminder": 0, "booked": 0, "walk_ins": 0,
                                          "lapsed": 0, "withdrawn": 0, "renewed": 0, "pending": 0,
                                          "days": []})
        g[field] += 1
        if days is not None:
            g["days"].append(days)

    for p in people:
        if not p.in_year:
            continue
        e = p.expiry
        start = add_months_clamped(e, -3) + dt.timedelta(days=1)
        letter = first_night(nights, start - dt.timedelta(days=lead_days))
        band = age_band(p.birth, e)
        take = min(0.98, TAKE_DISTRICT[p.district] * TAKE_AGE[band])
        visit = booking = None  # booking: (made_on, day, attended)
        withdraw = None
        if rnd.random() < WITHDRAW:
            withdraw = letter + dt.timedelta(days=1 + rnd.randrange((e - letter).days + 20))
        elif rnd.random() < take:
            if rnd.random() < 0.75:
                visit = letter + dt.timedelta(days=3 + rnd.randrange(38))
            else:
                visit = e - dt.timedelta(days=1 + rnd.randrange(25))
            if rnd.random() < BOOK_SHARE[p.district]:
                made = letter + dt.timedelta(days=1 + rnd.randrange(max(1, (visit - letter).days - 1)))
                if made >= visit:
                    made = visit - dt.timedelta(days=1)
                if made <= letter:
                    made = letter + dt.timedelta(days=1)
                    visit = max(visit, made + dt.timedelta(days=1))
                if rnd.random() < CANCEL_COHORT:
                    # renews the day after booking, before the booked day: a walk-in
                    visit = made + dt.timedelta(days=1)
                    seen = first_night(nights, visit)
                    booking = (made, seen + dt.timedelta(days=step), False)
                else:
                    booking = (made, visit, True)
        # the reminder's night, and whether the rule names this resident
        r_night = first_night(nights, e - dt.timedelta(days=reminder_days))
        if r_night is not None and r_night >= e:
            r_night = None
        ren_night = first_night(nights, visit) if visit else None
        wd_night = first_night(nights, withdraw) if withdraw else None
        booked_at = lambda night: booking is not None and booking[0] <= night and not (
            ren_night is not None and ren_night <= night)
        is_reminded = (r_night is not None and reminder_days > 0 and letter < e - dt.timedelta(days=reminder_days)
                       and not (ren_night is not None and ren_night <= r_night)
                       and not booked_at(r_night)
                       and not (wd_night is not None and wd_night <= r_night))
        if is_reminded and visit is None and withdraw is None and rnd.random() < REMINDER_RESPONSE:
            visit = r_night + dt.timedelta(days=1 + rnd.randrange(20))
            if visit >= e:
                visit = e - dt.timedelta(days=1)
            ren_night = first_night(nights, visit)
        lapse_night = first_night(nights, e, after=True)
        # what the night decides: the earliest, and on one night renewed > withdrawn > lapsed
        cands = [(x, rank, what) for x, rank, what in
                 ((ren_night, 0, "renewed"), (wd_night, 1, "withdrawn"), (lapse_night, 2, "lapsed"))
                 if x is not None]
        when, _, outcome = min(cands) if cands else (None, 9, "pending")
        # the exports that tell it
        if visit is not None and ren_night is not None:
            if rnd.random() < NEW_CARD:
                row = p.row(sign=visit + dt.timedelta(days=5 * 365), user=visit + dt.timedelta(days=5 * 365),
                            card=visit + dt.timedelta(days=10 * 365))
            else:
                later = add_months_clamped(e, 60)
                row = p.row(sign=later, user=later)
            changes[ren_night].append(row)
        if withdraw is not None and wd_night is not None:
            changes[wd_night].append(p.row(status="moved_out" if rnd.random() < 0.5 else "deceased"))
        if booking is not None:
            made, day, attended = booking
            bookings[first_night(nights, made)].append(
                [p.id, e.isoformat(), OFFICE[p.district], day.isoformat(), made.isoformat(),
                 "done" if attended else ""])
            if not attended:
                cancelled.append(p.id)
        if is_reminded:
            reminded.append(p.id)
        for kind, key in (("district", p.district), ("age", band)):
            count(kind, key, "letters")
            if is_reminded:
                count(kind, key, "reminders")
            if outcome == "renewed":
                count(kind, key, "renewed", (when - letter).days)
                if when <= e:
                    count(kind, key, "renewed_before_expiry")
                if is_reminded and r_night < when:
                    count(kind, key, "renewed_after_reminder")
                count(kind, key, "booked" if booking is not None and booking[2] else "walk_ins")
            else:
                count(kind, key, outcome)
    # the same expiry again: no renewal
    for p in rnd.sample([p for p in people if p.in_year], SAME_AGAIN):
        night = nights[1 + rnd.randrange(len(nights) - 1)]
        if not any(r[0] == p.id for r in changes[night]):
            changes[night].append(p.row())

    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "nights.txt"), "w") as f:
        f.write("".join(n.isoformat() + "\n" for n in nights))
    for k, night in enumerate(nights):
        d = os.path.join(out, f"{k:03d}")
        os.makedirs(d, exist_ok=True)
        rows = [p.row() for p in people] if k == 0 else changes[night]
        with open(os.path.join(d, "input.csv"), "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(HEADER)
            w.writerows(rows)
        with open(os.path.join(d, "bookings.tsv"), "w") as f:
            f.write("".join("\t".join(b) + "\n" for b in bookings[night]))
    cols = ["letters", "reminders", "renewed_before_expiry", "renewed_after_reminder", "booked",
            "walk_ins", "lapsed", "withdrawn", "median", "renewed", "pending"]
    for kind in ("district", "age"):
        with open(os.path.join(out, f"expect-{kind}.csv"), "w", newline="") as f:
            w = csv.writer(f, lineterminator="\r\n")
            w.writerow(["group", "letters", "reminders", "renewed_before_expiry",
                        "renewed_after_reminder", "booked", "walk_ins", "lapsed", "withdrawn",
                        "median_days_to_renewal", "renewed", "pending"])
            for key in sorted(groups[kind]):
                g = groups[kind][key]
                days = sorted(g["days"])
                med = ""
                if days:
                    m = len(days) // 2
                    v = days[m] if len(days) % 2 else (days[m - 1] + days[m]) / 2
                    med = str(int(v)) if v == int(v) else f"{v:.1f}"
                w.writerow([key] + [med if c == "median" else g[c] for c in cols])
    with open(os.path.join(out, "expect-reminded.txt"), "w") as f:
        f.write("".join(i + "\n" for i in sorted(reminded)))
    with open(os.path.join(out, "cancelled.txt"), "w") as f:
        f.write("".join(i + "\n" for i in sorted(cancelled)))


if __name__ == "__main__":
    if len(sys.argv) == 10 and sys.argv[1] == "plan":
        plan(*sys.argv[2:])
    else:
        sys.exit(__doc__)
