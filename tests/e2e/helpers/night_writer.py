#!/usr/bin/env python3
"""A writer beside the nightly run, as the booking service is: one short write
transaction after another on the night's database, each allowed to wait `timeout`
seconds for the lock, looking every 2 ms as the store's busy handler does, until the
file `stop` appears; the table night_writer_probe must exist. Touches STOP.ready when it
starts. Prints "ok busy worst_wait_s".
Usage: night_writer.py DB STOP TIMEOUT"""
import os
import sqlite3
import sys
import time

db, stop, timeout = sys.argv[1], sys.argv[2], float(sys.argv[3])
con = sqlite3.connect(db, timeout=0, isolation_level=None)
open(stop + ".ready", "w").close()
ok = busy = 0
worst = 0.0
while not os.path.exists(stop):
    start = time.monotonic()
    while True:
        try:
            con.execute("BEGIN IMMEDIATE")
            con.execute("INSERT INTO night_writer_probe (at) VALUES (?)", (start,))
            con.execute("COMMIT")
            ok += 1
            break
        except sqlite3.OperationalError as e:
            if con.in_transaction:
                con.execute("ROLLBACK")
            if "locked" not in str(e) and "busy" not in str(e):
                raise
            if time.monotonic() - start >= timeout:
                busy += 1
                print(f"{e} after {time.monotonic() - start:.3f} s", file=sys.stderr)
                break
            time.sleep(0.002)
    worst = max(worst, time.monotonic() - start)
    time.sleep(0.01)
print(ok, busy, f"{worst:.3f}")
