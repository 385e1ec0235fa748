# http.sender against a hostile server (raw sockets): an answer that is not
# HTTP, endless headers and a huge body. The sender retries the first two
# with a clear reason, keeps only max_response_bytes of the body, and the
# engine stays up and delivers everything.
source "$FERRY_SOURCE_DIR/tests/e2e/http_sender/lib.sh"

cat >"$WORK/raw.py" <<'PY'
import socket, sys, threading
plans = ["garbage", "headers", "ok", "body", "ok"]
srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", 0))
srv.listen(16)
open(sys.argv[1], "w").write(str(srv.getsockname()[1]))
log = open(sys.argv[2], "a")
lock = threading.Lock()
def serve(conn):
    conn.settimeout(10)
    with conn:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(65536)
            if not chunk:
                return
            data += chunk
        head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1")
        with lock:
            plan = plans.pop(0) if plans else "ok"
            log.write(head.split("\r\n")[0] + " " + plan + "\n")
            log.flush()
        try:
            if plan == "garbage":
                conn.sendall(b"NOT HTTP AT ALL\r\n\r\n")
            elif plan == "headers":
                conn.sendall(b"HTTP/1.1 200 OK\r\n")
                for i in range(4000):  # ~400 KB of headers
                    conn.sendall(b"X-Pad-%d: %s\r\n" % (i, b"p" * 90))
                conn.sendall(b"Content-Length: 0\r\n\r\n")
            elif plan == "body":
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2000000\r\n\r\n")
                conn.sendall(b"b" * 2000000)
            else:
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
        except OSError:
            pass  # the client gave up, as it should
while True:
    c, _ = srv.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
PY
python3 "$WORK/raw.py" "$WORK/raw.port" "$WORK/raw.log" 2>"$WORK/raw.err" &
PEER_PIDS+=($!)
disown $!
wait_for 10 test -s "$WORK/raw.port" || fail "raw server did not start: $(cat "$WORK/raw.err")"
cat >"$WORK/cfg.json" <<JSON
{"engine": {"plugin_dirs": ["$FERRY_PLUGIN_DIR", "$FERRY_TEST_PLUGIN_DIR"], "data_dir": "$WORK/var"},
 "plugins": ["http", "testkit"],
 "channels": [
  {"id": "out", "source": {"type": "testkit.counter", "config": {"count": 3, "interval_ms": 1, "prefix": "m"}},
   "destinations": [{"id": "api", "type": "http.sender",
     "config": {"url": "http://127.0.0.1:$(cat "$WORK/raw.port")/x", "max_response_bytes": 1000, "timeout_ms": 5000},
     "retry": {"backoff": "fixed", "initial_ms": 100, "jitter": 0}}]}]}
JSON
start_ferry "$WORK/cfg.json" info
wait_lines "$WORK/raw.log" 5 || fail "$(lines_in "$WORK/raw.log") of 5 requests: $(cat "$WORK/raw.log")"
wait_for 20 none_queued || fail "deliveries still queued"
kill -0 "$FERRY_PID" || fail "ferry died"
stop_ferry

grep -q 'message 1 attempt 1 failed, will retry: .*' "$WORK/ferry.log" || fail "garbage answer not retried"
grep -q 'message 1 attempt 2 failed, will retry: response headers larger than 262144 bytes' "$WORK/ferry.log" ||
  fail "endless headers not cut off: $(grep 'attempt 2' "$WORK/ferry.log")"
outcome() {  # <seq>: "status attempts response-length"
  local id
  id=$("$FERRY" messages search --meta "seq=$1" --json -c "$WORK/cfg.json" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
  show "$id" | python3 -c '
import json, sys
d = json.load(sys.stdin)["destinations"][0]
print(d["status"], d["attempts"], len(d.get("response") or ""))'
}
[ "$(outcome 1)" = "sent 3 2" ] || fail "m1: $(outcome 1)"
[ "$(outcome 2)" = "sent 1 1000" ] || fail "m2 (huge body): $(outcome 2)"
[ "$(outcome 3)" = "sent 1 2" ] || fail "m3: $(outcome 3)"
echo "http sender hostile server: ok"
