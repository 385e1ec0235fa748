"""A scriptable MLLP peer for tests: hostile clients and a receiver that
answers with chosen ACK codes. Real sockets on 127.0.0.1; every loop is
bounded and every socket has a timeout."""
import socket
import sys
import time

SB, EB, CR = b"\x0b", b"\x1c", b"\x0d"


def frame(msg: bytes) -> bytes:
    return SB + msg + EB + CR


def message(control_id: str, version: str = "2.5") -> bytes:
    return (f"MSH|^~\\&|SEND|FAC|RECV|FAC|20261126120000||ADT^A01|{control_id}|P|{version}\r"
            f"PID|1||{control_id}^^^HOSP||DOE^JOHN\r").encode()


def read_frames(sock: socket.socket, count: int, timeout: float = 10.0) -> list:
    sock.settimeout(timeout)
    data, frames = b"", []
    deadline = time.time() + timeout
    while len(frames) < count and time.time() < deadline:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
        while EB + CR in data:
            head, data = data.split(EB + CR, 1)
            frames.append(head[head.index(SB) + 1:] if SB in head else head)
    return frames


def msa(ack: bytes) -> list:
    for seg in ack.split(b"\r"):
        if seg.startswith(b"MSA|"):
            return seg.decode().split("|")
    return []


def connect(port: int) -> socket.socket:
    return socket.create_connection(("127.0.0.1", port), timeout=10)


def pipelined(port: int, n: int) -> None:
    """n messages in one write; n ACKs must come back in order."""
    s = connect(port)
    s.sendall(b"".join(frame(message(f"P{i}")) for i in range(n)))
    acks = read_frames(s, n)
    got = [msa(a)[1:3] for a in acks]
    want = [["AA", f"P{i}"] for i in range(n)]
    assert got == want, f"pipelined ACKs: {got}"
    s.close()


def hostile(port: int, max_bytes: int) -> None:
    """Garbage, an unparsable frame, an oversize frame, a start with no end:
    each handled, and a normal client is served all along."""
    # Garbage outside frames, then a good message on the same connection.
    s = connect(port)
    s.sendall(b"GET / HTTP/1.1\r\n\r\n" + frame(message("G1")))
    assert msa(read_frames(s, 1)[0])[1:3] == ["AA", "G1"], "good message after garbage"
    # Not HL7 inside a frame: AR with a reason.
    s.sendall(frame(b"this is not hl7"))
    ack = read_frames(s, 1)[0]
    assert msa(ack)[1] == "AR", f"unparsable: {ack!r}"
    s.close()
    # Oversize: AR, then the connection is closed.
    s = connect(port)
    s.sendall(frame(message("BIG") + b"Z" * (max_bytes + 10)))
    ack = read_frames(s, 1)[0]
    assert msa(ack)[1] == "AR" and b"max_message_bytes" in ack, f"oversize: {ack!r}"
    s.settimeout(5)
    assert s.recv(10) == b"", "connection not closed after oversize"
    s.close()
    # A start byte with no end: the listener drops it after read_timeout_ms,
    # and meanwhile serves others.
    stuck = connect(port)
    stuck.sendall(SB + message("STUCK"))
    other = connect(port)
    other.sendall(frame(message("OTHER")))
    assert msa(read_frames(other, 1)[0])[1:3] == ["AA", "OTHER"], "others served while one is stuck"
    other.close()
    stuck.settimeout(10)
    assert stuck.recv(10) == b"", "a never-ending message must get the connection closed"
    stuck.close()


def flood(port: int, max_connections: int) -> None:
    """More connections than allowed: the extra ones are closed, the first
    ones still work."""
    held = [connect(port) for _ in range(max_connections)]
    time.sleep(0.3)
    extra = connect(port)
    extra.settimeout(5)
    try:
        assert extra.recv(10) == b"", "connection over the limit not closed"
    except ConnectionResetError:
        pass
    held[0].sendall(frame(message("F1")))
    assert msa(read_frames(held[0], 1)[0])[1:3] == ["AA", "F1"], "held connection served"
    for s in held:
        s.close()


def receiver(port_file: str, codes: str, count: int) -> None:
    """Accept connections and answer message i with codes[i] (A=AA, E=AE,
    R=AR, N=no answer, W=ACK with a wrong MSA-2, D=CA then AA as enhanced
    mode does); exit after count messages."""
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(8)
    srv.settimeout(60)
    with open(port_file, "w") as f:
        f.write(str(srv.getsockname()[1]))
    seen = 0
    while seen < count:
        conn, _ = srv.accept()
        conn.settimeout(60)
        data = b""
        while seen < count:
            try:
                chunk = conn.recv(65536)
            except socket.timeout:
                break
            if not chunk:
                break
            data += chunk
            while EB + CR in data and seen < count:
                head, data = data.split(EB + CR, 1)
                msg = head[head.index(SB) + 1:]
                fields = msg.split(b"\r")[0].decode().split("|")
                code = codes[seen] if seen < len(codes) else "A"
                seen += 1
                sys.stdout.write(fields[9] + "\n")
                sys.stdout.flush()
                if code == "N":
                    conn.close()
                    break
                cid = "WRONG" if code == "W" else fields[9]
                codes_out = ["CA", "AA"] if code == "D" else ["A" + ("A" if code in "AW" else code)]
                for n, c in enumerate(codes_out):
                    ack = f"MSH|^~\\&|RECV|FAC|SEND|FAC|20261126120000||ACK^A01^ACK|X{seen}-{n}|P|2.5\rMSA|{c}|{cid}|test\r"
                    conn.sendall(frame(ack.encode()))
            else:
                continue
            break
        conn.close()


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "pipelined":
        pipelined(int(sys.argv[2]), int(sys.argv[3]))
    elif cmd == "hostile":
        hostile(int(sys.argv[2]), int(sys.argv[3]))
    elif cmd == "flood":
        flood(int(sys.argv[2]), int(sys.argv[3]))
    elif cmd == "receiver":
        receiver(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        sys.exit(f"unknown command {cmd}")
