#!/usr/bin/env python3
"""Clients for the booking service's load and attack suites (serve_race.sh, serve_attack.sh):
many residents at once on keep-alive connections, an ID guesser, slow and idle connections.
Standard library only; talks to loopback addresses only. A URL may be several nodes of one
service, comma-separated: each resident's requests then alternate between them. Each subcommand prints lines the suite
checks and exits 0 unless it could not run at all.

  race URL RESERVATIONS_CSV DAY CLIENTS ROUNDS   200 residents race for the last 3 seats
  guess URL COUNT [XFF]                          COUNT random well-formed IDs from one client
  slow URL CONNECTIONS SECONDS                   dripping and silent connections
  load URLS RESERVATIONS_CSV DAYS CLIENTS SECONDS   whole bookings, one ID each, spread over
                                                 the DAYS' (comma-separated) slots, until
                                                 SECONDS pass or the IDs run out; a node that
                                                 refuses connections is left for the others
"""
import http.client
import random
import re
import socket
import sys
import threading
import time
import urllib.parse

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


def random_rid(rng):
    """A random ID with a right check symbol (batch/rid.c): what a guesser would send, since
    an ID with a wrong one never reaches the database."""
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


class Browser:
    """One resident: a keep-alive connection, the session cookie and the CSRF token. url may
    name several nodes of one service ("http://127.0.0.1:8001,http://127.0.0.2:8002"): the
    requests then go to each in turn, request by request, as a load balancer without sticky
    sessions would send them, each node on a keep-alive connection of its own."""

    def __init__(self, url, headers=None):
        self.nodes = []
        for one in url.split(","):
            u = urllib.parse.urlsplit(one)
            self.nodes.append((u.hostname, u.port))
        self.conns = [None] * len(self.nodes)
        self.dead = [False] * len(self.nodes)
        self.turn = 0
        self.conn = None
        self.cookie = ""
        self.csrf = ""
        self.extra = headers or {}

    def request(self, method, path, form=None):
        body = None
        headers = dict(self.extra)
        if self.cookie:
            headers["Cookie"] = self.cookie
        if form is not None:
            form = dict(form)
            form.setdefault("csrf", self.csrf)
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        node = self.turn % len(self.nodes)
        self.turn += 1
        # A node that refused a connection is left, as a proxy's health check leaves it.
        while self.dead[node] and not all(self.dead):
            node = (node + 1) % len(self.nodes)
        self.conn = self.conns[node]
        self.host, self.port = self.nodes[node]
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
                self.conns[node] = self.conn
            try:
                self.conn.request(method, path, body=body, headers=headers)
                r = self.conn.getresponse()
                data = r.read().decode("utf-8", "replace")
                break
            except (ConnectionError, http.client.HTTPException, socket.timeout) as e:
                self.conn.close()
                self.conn = self.conns[node] = None
                if isinstance(e, ConnectionRefusedError) and len(self.nodes) > 1:
                    self.dead[node] = True
                    if not all(self.dead):
                        return self.request(method, path, form)
                if attempt:
                    raise
        for k, v in r.getheaders():
            if k.lower() == "set-cookie" and v.startswith("cn_sid="):
                self.cookie = v.split(";")[0]
        m = re.search(r'name="csrf" value="([0-9a-f]+)"', data)
        if m:
            self.csrf = m.group(1)
        if r.getheader("Connection", "").lower() == "close":
            self.conn.close()
            self.conn = self.conns[node] = None
        return r.status, r.getheader("Location", ""), data


def verify(b, rid, mmdd):
    """Start page, birthday, and the first page after it (for the rotated CSRF token)."""
    b.request("GET", "/R/" + rid)
    b.request("GET", "/birthday")
    st, loc, _ = b.request("POST", "/birthday",
                           {"bday-month": str(int(mmdd[:2])), "bday-day": str(int(mmdd[2:]))})
    if st != 303:
        return False
    b.request("GET", loc)
    return True


def race(url, csv_path, day, clients, rounds):
    rows = [l.strip().split(",") for l in open(csv_path, encoding="utf-8")][1:]
    people = [(r[0], r[5]) for r in rows if r[4] == "01"]
    need = clients + 3 * (rounds - 1)
    if len(people) < need:
        print(f"error: {len(people)} residents in district 01, need {need}")
        return 2
    queue = list(people)
    lock = threading.Lock()
    first = Browser(url)
    rid, mmdd = queue.pop()
    verify(first, rid, mmdd)
    first.request("POST", "/date", {"date": day})
    _, _, page = first.request("GET", "/slot")
    slots = re.findall(r'name="slot" id="slot-\d+" value="(\d\d:\d\d)" aria', page)
    if len(slots) < rounds:
        print(f"error: {len(slots)} free slots on {day}, need {rounds}")
        return 2
    results = [[] for _ in range(rounds)]
    barrier = threading.Barrier(clients)
    errors = []

    def one(b):
        me = b
        for k in range(rounds):
            try:
                if me is None:
                    with lock:
                        rid, mmdd = queue.pop()
                    me = Browser(url)
                    if not verify(me, rid, mmdd):
                        raise RuntimeError("birthday refused")
                me.request("POST", "/date", {"date": day})
                st, loc, _ = me.request("POST", "/slot", {"slot": slots[k]})
                ready = st == 303 and loc.endswith("/check")
            except Exception as e:  # a client that broke still meets the others
                errors.append(repr(e))
                ready = False
            barrier.wait()
            if not ready:
                results[k].append("not-ready")
                barrier.wait()
                continue
            try:
                st, loc, page = me.request("POST", "/check", {})
            except Exception as e:
                errors.append(repr(e))
                st, loc, page = 0, "", ""
            if st == 303 and loc.endswith("/done"):
                results[k].append("booked")
                me = None  # this resident has a booking: a new one takes the place
            elif st == 200 and "たった今ほかの方の予約で満席" in page:
                results[k].append("taken")
            else:
                results[k].append(f"status-{st}")
            barrier.wait()

    threads = [threading.Thread(target=one, args=(first if i == 0 else None,))
               for i in range(clients)]
    t0 = time.time()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for k in range(rounds):
        r = results[k]
        other = len(r) - r.count("booked") - r.count("taken")
        print(f"round {k + 1} slot {day} {slots[k]}: booked={r.count('booked')} "
              f"taken={r.count('taken')} other={other}")
    print(f"errors={len(errors)} seconds={time.time() - t0:.1f}")
    for e in errors[:5]:
        print("# " + e)
    return 0


def guess(url, count, xff=None):
    rng = random.Random(13)
    b = Browser(url, {"X-Forwarded-For": xff} if xff else None)
    tally = {}
    first_block = 0
    for i in range(count):
        st, _, _ = b.request("GET", "/R/" + random_rid(rng))
        tally[st] = tally.get(st, 0) + 1
        if st == 429 and not first_block:
            first_block = i + 1
    print(f"found={tally.get(200, 0)} not_found={tally.get(404, 0)} "
          f"blocked={tally.get(429, 0)} first_blocked_at={first_block} "
          f"other={count - sum(tally.get(s, 0) for s in (200, 404, 429))}")
    return 0


def slow(url, n, seconds):
    """n connections drip a header byte a second, n more connect and say nothing; meanwhile a
    page is fetched every half second. Prints how long each kind stayed open and the slowest
    page."""
    u = urllib.parse.urlsplit(url)
    drip, idle = [], []
    for i in range(n):
        for group in (drip, idle):
            s = socket.create_connection((u.hostname, u.port))
            s.settimeout(0.05)
            group.append([s, None])
    for s, _ in drip:
        s.send(b"GET /style.css HTTP/1.1\r\nHost: x\r\n")
    t0 = time.time()
    slowest = 0.0
    page_errors = 0
    while time.time() - t0 < seconds:
        for group in (drip, idle):
            for c in group:
                if c[1] is not None:
                    continue
                try:
                    if group is drip:
                        c[0].send(b"X")
                    if c[0].recv(1) == b"":
                        c[1] = time.time() - t0
                except (socket.timeout, BlockingIOError):
                    pass
                except OSError:
                    c[1] = time.time() - t0
        t1 = time.time()
        try:
            conn = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
            conn.request("GET", "/style.css")
            if conn.getresponse().status != 200:
                page_errors += 1
            conn.close()
        except OSError:
            page_errors += 1
        slowest = max(slowest, time.time() - t1)
        time.sleep(0.5)
    def show(group):
        closed = [c[1] for c in group if c[1] is not None]
        return f"{len(closed)}/{len(group)} closed, last after {max(closed, default=0):.1f}s"
    print(f"drip: {show(drip)}")
    print(f"idle: {show(idle)}")
    print(f"pages: slowest {slowest:.2f}s errors={page_errors}")
    for g in (drip, idle):
        for c in g:
            c[0].close()
    return 0


def load(urls, csv_path, days, clients, seconds):
    """Whole flows (start page, birthday, date, slot, confirm), one ID each, from CLIENTS
    threads until SECONDS pass. Prints "confirmed RID" per booking the service confirmed
    (303 to /done), then a summary: confirmed, full (told the slot was taken), unavailable
    (a 503 page), errors (no answer), and when the last 503 was and the first booking
    after it (seconds from the start)."""
    rows = [l.strip().split(",") for l in open(csv_path, encoding="utf-8")][1:]
    queue = [(r[0], r[5]) for r in rows if r[4] == "01"]
    days = days.split(",")
    lock = threading.Lock()
    tally = {"confirmed": 0, "full": 0, "unavailable": 0, "errors": 0}
    confirmed = []
    marks = {"last_503": 0.0, "ok_after_503": 0.0}
    slots_of = {}
    t0 = time.time()

    def note(kind, rid=None):
        now = time.time() - t0
        with lock:
            tally[kind] += 1
            if kind == "unavailable":
                marks["last_503"] = now
                marks["ok_after_503"] = 0.0
            if kind == "confirmed":
                confirmed.append(rid)
                if marks["last_503"] and not marks["ok_after_503"]:
                    marks["ok_after_503"] = now

    def again(rid, mmdd):
        """A resident shown the 503 page tries again a little later, with the same ID."""
        with lock:
            queue.insert(0, (rid, mmdd))
        time.sleep(0.2)

    def one(k):
        n = 0
        while time.time() - t0 < seconds:
            with lock:
                if not queue:
                    return
                rid, mmdd = queue.pop()
            n += 1
            day = days[(k + n) % len(days)]
            b = Browser(urls)
            try:
                if not verify(b, rid, mmdd):
                    note("unavailable")
                    again(rid, mmdd)
                    continue
                st, _, page = b.request("POST", "/date", {"date": day})
                if st == 303:
                    st, _, page = b.request("GET", "/slot")
                if st >= 500:
                    note("unavailable")
                    again(rid, mmdd)
                    continue
                free = re.findall(r'name="slot" id="slot-\d+" value="(\d\d:\d\d)" aria', page)
                if not free:
                    note("full")
                    continue
                st, loc, page = b.request("POST", "/slot", {"slot": free[(k + n) % len(free)]})
                if st == 303:
                    st, loc, page = b.request("POST", "/check", {})
                if st == 303 and loc.endswith("/done"):
                    note("confirmed", rid)
                elif st == 200 and "満席" in page:
                    note("full")
                elif st >= 500:
                    note("unavailable")
                    again(rid, mmdd)
                else:
                    note("errors")
            except Exception:
                note("errors")

    threads = [threading.Thread(target=one, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for rid in confirmed:
        print("confirmed " + rid)
    print(f"confirmed={tally['confirmed']} full={tally['full']} "
          f"unavailable={tally['unavailable']} errors={tally['errors']} "
          f"last_503={marks['last_503']:.1f} ok_after_503={marks['ok_after_503']:.1f} "
          f"seconds={time.time() - t0:.1f}")
    return 0


def main(argv):
    if len(argv) >= 6 and argv[1] == "race":
        return race(argv[2], argv[3], argv[4], int(argv[5]), int(argv[6]))
    if len(argv) >= 4 and argv[1] == "guess":
        return guess(argv[2], int(argv[3]), argv[4] if len(argv) > 4 else None)
    if len(argv) == 7 and argv[1] == "load":
        return load(argv[2], argv[3], argv[4], int(argv[5]), float(argv[6]))
    if len(argv) == 5 and argv[1] == "slow":
        return slow(argv[2], int(argv[3]), float(argv[4]))
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
