#!/usr/bin/env python3
"""One raw request over a socket, for the HTTP layer's edge cases (tests/e2e/http_edges.sh),
and a one-line summary of everything that came back before the server closed.

  rawhttp.py PORT REQUEST

REQUEST is the bytes to send, with Python escapes (\\r \\n \\x00) and {pad:N} for N bytes
of 'a'. Prints: "responses=N status=S,S... closed=0|1 security=ok|missing:NAME,...
hsts=0|1 css=0|1 repeated_head=0|1". responses counts status lines (a smuggled request
served would be a second one); css says whether a stylesheet came back; repeated_head
whether a status line stands inside a response's head or body (libmicrohttpd's own error
pages repeated theirs). Standard library only; talks to 127.0.0.1 only.
"""
import re
import socket
import sys
import time

SECURITY = [
    "content-security-policy",
    "referrer-policy",
    "cache-control",
    "x-content-type-options",
    "x-frame-options",
]


def request_bytes(text):
    text = re.sub(r"\{pad:(\d+)\}", lambda m: "a" * int(m.group(1)), text)
    return text.encode("latin-1").decode("unicode_escape").encode("latin-1")


def main():
    port, text = int(sys.argv[1]), sys.argv[2]
    data = request_bytes(text)
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    try:
        s.sendall(data)
    except OSError:
        pass  # refused while sending: what came back still counts
    out, closed = b"", 0
    end = time.time() + 5
    while time.time() < end:
        try:
            b = s.recv(65536)
        except socket.timeout:
            break
        except OSError:
            closed = 1
            break
        if not b:
            closed = 1
            break
        out += b
    s.close()
    # split into responses by their Content-Length
    responses, rest, repeated = [], out, 0
    while rest.startswith(b"HTTP/"):
        head, sep, body = rest.partition(b"\r\n\r\n")
        if not sep:
            break
        lines = head.decode("latin-1").split("\r\n")
        fields = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            fields.setdefault(name.strip().lower(), []).append(value.strip())
        if any(line.startswith("HTTP/") for line in lines[1:]):
            repeated = 1
        n = int(fields.get("content-length", ["0"])[0] or 0)
        if body[:n].lstrip().startswith(b"HTTP/") or b"\r\nHTTP/1." in body[:n]:
            repeated = 1
        responses.append((lines[0].split(" ")[1], fields, body[:n]))
        rest = body[n:]
    missing = sorted({h for _, f, _ in responses for h in SECURITY if h not in f})
    if not responses:
        missing = ["(no response)"]
    print(
        "responses=%d status=%s closed=%d security=%s hsts=%d css=%d repeated_head=%d"
        % (
            len(responses),
            ",".join(st for st, _, _ in responses) or "-",
            closed,
            "ok" if not missing else "missing:" + ",".join(missing),
            int(any("strict-transport-security" in f for _, f, _ in responses)),
            int(any(f.get("content-type", [""])[0].startswith("text/css") for _, f, _ in responses)),
            repeated,
        )
    )


if __name__ == "__main__":
    main()
