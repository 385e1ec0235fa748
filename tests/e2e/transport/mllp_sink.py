"""An MLLP receiver that writes every message it gets to OUT_DIR/<MSH-10>.hl7
and answers AA. Loopback only; every socket has a timeout; exits after
COUNT messages or 60 s."""
import os
import socket
import sys
import time

port_file, out_dir, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
SB, EB, CR = b"\x0b", b"\x1c", b"\x0d"
srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", 0))
srv.listen(4)
srv.settimeout(60)
with open(port_file + ".tmp", "w") as f:
    f.write(str(srv.getsockname()[1]))
os.rename(port_file + ".tmp", port_file)
seen, deadline = 0, time.time() + 60
while seen < count and time.time() < deadline:
    conn, _ = srv.accept()
    conn.settimeout(30)
    data = b""
    while seen < count:
        chunk = conn.recv(65536)
        if not chunk:
            break
        data += chunk
        while EB + CR in data:
            head, data = data.split(EB + CR, 1)
            msg = head[head.index(SB) + 1:]
            cid = msg.split(b"\r")[0].split(b"|")[9].decode()
            with open(os.path.join(out_dir, cid + ".hl7"), "wb") as f:
                f.write(msg)
            seen += 1
            ack = f"MSH|^~\\&|SINK|X|FERRY|X|20261126120000||ACK^A01^ACK|A{seen}|P|2.5\rMSA|AA|{cid}\r"
            conn.sendall(SB + ack.encode() + EB + CR)
    conn.close()
