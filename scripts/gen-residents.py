#!/usr/bin/env python3
"""Deterministic synthetic resident records in the input contract (docs/contracts.md).

    scripts/gen-residents.py [--count N] [--seed S] [--date YYYY-MM-DD] [--districts 01,02,03]
                             [--no-cases] [--due-share F]

The first records are one of each case the rules distinguish (due, not yet due, expired,
card renewal, deceased, moved out, on hold, signing + user, user only, split expiry days,
face-auth, adult ward, every district, a long name and address, names outside the BMP and with
a variation selector, a gaiji the demo's gaiji map lacks); the rest are random residents (about 5% of them with a surname as the registry writes
it: MJ characters, variation sequences, gaiji) with a realistic share due (~6%), or with --due-share F
about that share of them inside their renewal window on --date (the benchmark's many-letters
night). Same seed, same output.
"""
import argparse
import csv
import datetime as dt
import pathlib
import random
import sys

SURNAMES = ["佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤",
            "吉田", "山田", "佐々木", "山口", "松本", "井上", "木村", "林", "斎藤", "清水",
            "山崎", "森", "池田", "橋本", "阿部", "石川", "山下", "中島", "石井", "小川"]
SURNAME_KANA = ["サトウ", "スズキ", "タカハシ", "タナカ", "イトウ", "ワタナベ", "ヤマモト",
                "ナカムラ", "コバヤシ", "カトウ", "ヨシダ", "ヤマダ", "ササキ", "ヤマグチ",
                "マツモト", "イノウエ", "キムラ", "ハヤシ", "サイトウ", "シミズ", "ヤマザキ",
                "モリ", "イケダ", "ハシモト", "アベ", "イシカワ", "ヤマシタ", "ナカジマ",
                "イシイ", "オガワ"]
GIVEN = [("翔太", "ショウタ"), ("美咲", "ミサキ"), ("健一", "ケンイチ"), ("陽子", "ヨウコ"),
         ("大輔", "ダイスケ"), ("由美", "ユミ"), ("誠", "マコト"), ("恵子", "ケイコ"),
         ("拓也", "タクヤ"), ("花子", "ハナコ"), ("一郎", "イチロウ"), ("さくら", "サクラ"),
         ("蓮", "レン"), ("結衣", "ユイ"), ("悠真", "ユウマ"), ("和子", "カズコ")]
# Real towns, so that the demo's customer barcodes are real ones: every KEN_ALL row of
# 春日井市 as Japan Post publishes it (CP932), which `make demo` also imports as the
# night's postcode dictionary. Column 12 says whether the town counts 丁目.
KEN_ALL_SUBSET = pathlib.Path(__file__).resolve().parent.parent / "input/postal/ken_all-kasugai.csv"


def load_towns():
    with open(KEN_ALL_SUBSET, encoding="cp932", newline="") as f:
        return [(row[2], row[7] + row[8], row[11] == "1") for row in csv.reader(f)
                if row[8] != "以下に掲載がない場合"]


ALL_TOWNS = load_towns()
# The default sample keeps six towns, in postcode order like the fictional ones it
# replaced, so that a seed gives the same residents in the same print order as before;
# --all-towns (the bench) spreads residents over the whole city.
SAMPLE_TOWNS = ["4860816", "4860845", "4860926", "4860953", "4870016", "4870034"]
TOWNS = [t for code in SAMPLE_TOWNS for t in ALL_TOWNS if t[0] == code]
# Surnames as resident registries write them (about 5% of residents): characters outside the
# BMP, Moji_Joho variation sequences (IPAmj明朝), BMP characters IPAex lacks, compatibility
# ideographs, and legacy gaiji in the Private Use Area that the demo's gaiji map
# (templates/municipalities/demo-gaiji.txt) translates.
REGISTRY_SURNAMES = [
    ("𠮷田", "ヨシダ"), ("辻\U000E0102", "ツジ"), ("葛\U000E0102西", "カサイ"),
    ("渡邉\U000E010F", "ワタナベ"), ("齋\U000E0103藤", "サイトウ"), ("山\uFA11\U000E0102", "ヤマザキ"),
    ("𡈽屋", "ツチヤ"), ("槗本", "ハシモト"), ("戶田", "トダ"), ("\uFA19田", "カンダ"),
    ("髙橋", "タカハシ"), ("辻\U000E0100", "ツジ"), ("\uE000野", "カツラノ"), ("\uE001村", "ツジムラ"),
]
REGISTRY_SHARE = 0.05

FIELDS = ["resident_id", "name", "name_kana", "birth_date", "postal_code", "address",
          "address2", "district", "card_expiry", "sign_cert_expiry", "user_cert_expiry",
          "face_auth", "adult_ward", "status", "hold"]
BUILDINGS = ["", "", "", "見本ハイツ", "グランドメゾン見本", "コーポ桜", "パークサイド見本"]


def add_months(d, months):
    total = d.year * 12 + d.month - 1 + months
    y, m = divmod(total, 12)
    m += 1
    last = [31, 29 if (y % 4 == 0 and y % 100 != 0) or y % 400 == 0 else 28, 31, 30, 31, 30,
            31, 31, 30, 31, 30, 31][m - 1]
    return dt.date(y, m, min(d.day, last))


def iso(d):
    return d.isoformat() if d else ""


class Gen:
    def __init__(self, seed, today, districts, due_share=None):
        self.rnd = random.Random(seed)
        # Its own stream, so that every other field is the same as before names came in.
        self.mj_rnd = random.Random(seed * 31 + 17)
        self.due_share = due_share
        self.today = today
        self.districts = districts
        self.n = 0

    def person(self, **over):
        r = self.rnd
        self.n += 1
        i = r.randrange(len(SURNAMES))
        given, gkana = r.choice(GIVEN)
        postal, town, counts_chome = r.choice(TOWNS)
        chome = r.randint(1, 5)
        building = r.choice(BUILDINGS)
        address2 = f"{building}{r.randint(1, 9)}0{r.randint(1, 9)}号" if building else ""
        birth = dt.date(1940, 1, 1) + dt.timedelta(days=r.randrange(365 * 65))
        # Certificates run to the 5th birthday after issue; spread expiries over 5 years.
        if self.due_share is None:
            expiry = self.today + dt.timedelta(days=r.randrange(-30, 5 * 365))
        elif r.random() < self.due_share:  # window (3 months before expiry) open today
            expiry = self.today + dt.timedelta(days=r.randrange(1, 85))
        else:  # window opens after the lead time
            expiry = self.today + dt.timedelta(days=r.randrange(130, 5 * 365))
        rec = {
            "resident_id": f"{self.n:010d}",
            "name": f"{SURNAMES[i]}　{given}",
            "name_kana": f"{SURNAME_KANA[i]}　{gkana}",
            "birth_date": iso(birth),
            "postal_code": f"{postal[:3]}-{postal[3:]}",
            "address": (f"{town}{chome}丁目{r.randint(1, 30)}番{r.randint(1, 20)}号" if counts_chome
                        else f"{town}{chome * 100 + r.randint(1, 30)}番地{r.randint(1, 20)}"),
            "address2": address2,
            "district": r.choice(self.districts),
            "card_expiry": iso(add_months(expiry, 60)),
            "sign_cert_expiry": iso(expiry),
            "user_cert_expiry": iso(expiry),
            "face_auth": "0",
            "adult_ward": "0",
            "status": "active",
            "hold": "0",
        }
        if r.random() < 0.04:
            rec["status"] = r.choice(["deceased", "moved_out"])
        if r.random() < 0.02:
            rec["hold"] = "1"
        if r.random() < 0.05:  # card issued under 18: card and certificates end together
            rec["card_expiry"] = rec["sign_cert_expiry"]
        if r.random() < 0.03:
            rec["face_auth"] = "1"
            rec["sign_cert_expiry"] = ""
        if r.random() < 0.01:
            rec["adult_ward"] = "1"
            rec["sign_cert_expiry"] = ""
        if r.random() < 0.05:
            rec["sign_cert_expiry"] = ""  # declined the signing certificate
        if self.mj_rnd.random() < REGISTRY_SHARE:
            surname, skana = self.mj_rnd.choice(REGISTRY_SURNAMES)
            rec["name"] = f"{surname}　{given}"
            rec["name_kana"] = f"{skana}　{gkana}"
        rec.update({k: v for k, v in over.items()})
        return rec

    def cases(self):
        """One resident per case; due dates are chosen relative to today."""
        t = self.today
        due = add_months(t, 3) - dt.timedelta(days=10)   # window opened 10 days ago
        soon = add_months(t, 3) + dt.timedelta(days=10)  # opens in 10 days: inside lead
        later = add_months(t, 7)                         # not yet due
        expired = t - dt.timedelta(days=20)
        card_ok = iso(add_months(due, 60))
        out = []
        for d in self.districts:                          # every district, both certs
            out.append(self.person(sign_cert_expiry=iso(due), user_cert_expiry=iso(due),
                                   card_expiry=card_ok, district=d, status="active",
                                   hold="0", face_auth="0", adult_ward="0"))
        base = dict(status="active", hold="0", face_auth="0", adult_ward="0",
                    card_expiry=card_ok, district=self.districts[0],
                    sign_cert_expiry=iso(due), user_cert_expiry=iso(due))

        def case(**kw):
            out.append(self.person(**{**base, **kw}))

        case(sign_cert_expiry=iso(soon), user_cert_expiry=iso(soon),
             card_expiry=iso(add_months(soon, 60)))                       # due in lead time
        case(sign_cert_expiry=iso(later), user_cert_expiry=iso(later),
             card_expiry=iso(add_months(later, 60)))                      # not yet due
        case(sign_cert_expiry=iso(expired), user_cert_expiry=iso(expired),
             card_expiry=iso(add_months(expired, 60)))                    # expired
        case(card_expiry=iso(due + dt.timedelta(days=40)))                # card renewal
        case(card_expiry=iso(due))                                        # card same day
        case(status="deceased")
        case(status="moved_out")
        case(hold="1")
        case(sign_cert_expiry="", name="辻\U000E0102　美咲",
             name_kana="ツジ　ミサキ")                                       # user only; MJ (IVS)
        case(sign_cert_expiry=iso(due - dt.timedelta(days=5)))            # two letters
        case(face_auth="1", sign_cert_expiry="", name="𠮷田　太郎",
             name_kana="ヨシダ　タロウ")                                     # outside the BMP
        case(adult_ward="1", sign_cert_expiry="")
        case(district=self.districts[-1], face_auth="1", sign_cert_expiry="")
        case(name="長谷川　由紀子", name_kana="ハセガワ　ユキコ", postal_code="486-0953",
             address="春日井市御幸町三丁目10番地の2 見本ガーデンシティ御幸町"
                     "ステーションフロントタワー",
             address2="イーストウイング2305号室")                           # long address
        case(name="\uE0A5川　良子", name_kana="ヨシカワ　リョウコ")          # gaiji the map lacks
        case(address="春日井市白山町", address2="")  # no number; its postcode is any town's
        return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=120)
    ap.add_argument("--seed", type=int, default=20261201)
    ap.add_argument("--date", default="2026-12-01", help="the run date the cases aim at")
    ap.add_argument("--districts", default="01,02,03")
    ap.add_argument("--no-cases", action="store_true", help="random residents only")
    ap.add_argument("--all-towns", action="store_true",
                    help="every town of the city, not the sample's six")
    ap.add_argument("--due-share", type=float, default=None,
                    help="share of random residents whose renewal window is open on --date")
    a = ap.parse_args()
    if a.due_share is not None and not 0 <= a.due_share <= 1:
        ap.error("--due-share must be between 0 and 1")
    if a.all_towns:
        TOWNS[:] = ALL_TOWNS
    g = Gen(a.seed, dt.date.fromisoformat(a.date), a.districts.split(","), a.due_share)
    rows = [] if a.no_cases else g.cases()
    w = csv.DictWriter(sys.stdout, fieldnames=FIELDS, lineterminator="\r\n")
    w.writeheader()
    for r in rows:
        w.writerow(r)
    for _ in range(max(0, a.count - len(rows))):
        w.writerow(g.person())


if __name__ == "__main__":
    main()
