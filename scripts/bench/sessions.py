#!/usr/bin/env python3
"""Verified sessions for the date-page benchmark: for each "RID,MMDD" line of the input,
the start page and the birthday, then prints the session cookie ("cn_sid=...")."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "tests", "e2e", "helpers"))
import webclient  # noqa: E402

url, path = sys.argv[1], sys.argv[2]
for line in open(path, encoding="utf-8"):
    rid, mmdd = line.strip().split(",")
    b = webclient.Browser(url)
    if webclient.verify(b, rid, mmdd):
        print(b.cookie)
