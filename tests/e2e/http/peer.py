"""Raw-socket HTTP peers for the http.listener tests (what curl cannot do).

  peer.py malformed PORT          garbage and broken requests each get a 4xx JSON answer
  peer.py slow PORT PATH          a client stuck in its headers does not delay another
                                  client, and is answered 408 and dropped
  peer.py pipelined PORT PATH N   N requests in one write on one connection, N answers in order
"""
import json
import socket
import sys
import threading
import time


def connect(port):
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    return s


class Reader:
    """Reads responses one by one from a socket, keeping what follows."""

    def __init__(self, s):
        self.s, self.data = s, b""

    def response(self):
        """(status, headers dict, body), or None at EOF."""
        while b"\r\n\r\n" not in self.data:
            chunk = self.s.recv(65536)
            if not chunk:
                return None
            self.data += chunk
        head, rest = self.data.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ")[1])
        headers = {}
        for l in lines[1:]:
            k, v = l.split(":", 1)
            headers[k.strip().lower()] = v.strip()
        length = int(headers.get("content-length", "0"))
        while len(rest) < length:
            chunk = self.s.recv(65536)
            if not chunk:
                break
            rest += chunk
        self.data = rest[length:]
        return status, headers, rest[:length]


def read_response(s):
    return Reader(s).response()


def exchange(port, raw):
    with connect(port) as s:
        s.sendall(raw)
        r = read_response(s)
        assert r is not None, f"no answer to {raw[:60]!r}"
        return r


def check_json_error(r, status, text):
    assert r[0] == status, (r[0], r[2])
    assert r[1]["content-type"] == "application/json", r[1]
    body = json.loads(r[2])
    assert text in body["error"], body


def malformed(port):
    check_json_error(exchange(port, b"GARBAGE\r\n\r\n"), 400, "malformed HTTP request")
    check_json_error(exchange(port, b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\x00" * 40 + b"\r\n\r\n"), 400, "malformed")
    check_json_error(exchange(port, b"POST /in HTTP/1.1\r\nContent-Length: 1\r\n\r\nx"), 400, "missing Host header")
    check_json_error(exchange(port, b"POST /in HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nxy"), 400, "malformed")
    check_json_error(exchange(port, b"POST /in HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n"), 400, "malformed")
    check_json_error(exchange(port, b"POST /in HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"), 400, "malformed")
    check_json_error(exchange(port, b"POST /in HTTP/1.1\r\nHost: x\r\nX: " + b"a" * 40000 + b"\r\n\r\n"), 431, "max_header_bytes")
    check_json_error(exchange(port, b"POST /in HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nExpect: magic\r\n\r\nok"), 417, "Expect")
    check_json_error(exchange(port, b"POST /in HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Encoding: gzip\r\n\r\nok"), 415, "gzip")
    # A body larger than the limit, sent chunked (no Content-Length to refuse it early).
    big = b"a" * 3000
    chunked = b"".join(b"%x\r\n%s\r\n" % (len(big), big) for _ in range(3)) + b"0\r\n\r\n"
    check_json_error(exchange(port, b"POST /in HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked), 413, "max_body_bytes")
    # A body in chunks within the limit is fine.
    r = exchange(port, b"POST /in HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nchunk\r\n2\r\ned\r\n0\r\n\r\n")
    assert r[0] == 202, r


def slow(port, path):
    stuck = connect(port)
    stuck.sendall(b"POST " + path.encode() + b" HTTP/1.1\r\nHost: x\r\nContent-Le")  # and then nothing
    t0 = time.monotonic()
    r = exchange(port, b"POST " + path.encode() + b" HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nfast")
    assert r[0] == 202, r
    assert time.monotonic() - t0 < 2, "a stuck client delayed another one"
    # A client that sends its body too slowly, one byte at a time.
    dribble = connect(port)
    dribble.sendall(b"POST " + path.encode() + b" HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n")
    stop = threading.Event()

    def drip():
        for _ in range(100):
            if stop.wait(0.2):
                return
            try:
                dribble.sendall(b"x")
            except OSError:
                return
    t = threading.Thread(target=drip)
    t.start()
    r = exchange(port, b"POST " + path.encode() + b" HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nfas2")
    assert r[0] == 202, r
    stuck.settimeout(10)
    r = read_response(stuck)
    assert r is not None and r[0] == 408, r
    assert stuck.recv(10) == b"", "a timed-out client was not closed"
    dribble.settimeout(10)
    r = read_response(dribble)
    stop.set()
    t.join()
    assert r is not None and r[0] == 408, r


def pipelined(port, path, n):
    with connect(port) as s:
        req = b""
        for i in range(n):
            body = f"pipelined-{i}".encode()
            req += b"POST " + path.encode() + b" HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body)
        s.sendall(req)
        reader = Reader(s)
        ids = []
        for i in range(n):
            r = reader.response()
            assert r is not None, f"answer {i} missing"
            assert r[0] == 202, r
            ids.append(json.loads(r[2])["message_id"])
        assert ids == sorted(ids) and len(set(ids)) == n, ids


if __name__ == "__main__":
    cmd, port = sys.argv[1], int(sys.argv[2])
    if cmd == "malformed":
        malformed(port)
    elif cmd == "slow":
        slow(port, sys.argv[3])
    elif cmd == "pipelined":
        pipelined(port, sys.argv[3], int(sys.argv[4]))
    else:
        sys.exit(f"unknown command {cmd}")
