# A dry run opens no port, makes no connection and creates no store: with
# the channel's mllp.listener port and its mllp.sender's peer port both held
# by this test, `ferry try` and `ferry test` succeed and nothing connects to
# either; `ferry run` of the same config (the control) fails on the taken port.
source "$FERRY_SOURCE_DIR/tests/e2e/lib.sh"

LISTEN_PORT=$(free_port)
PEER_PORT=$(free_port)
cat >"$WORK/ferry.json" <<JSON
{"engine": {"data_dir": "$WORK/var", "plugin_dirs": ["$FERRY_PLUGIN_DIR"], "shutdown_timeout_ms": 2000},
 "plugins": ["mllp", "file", "hl7"],
 "channels": [{"id": "net",
   "source": {"type": "mllp.listener", "config": {"host": "127.0.0.1", "port": $LISTEN_PORT}},
   "transformers": [{"type": "hl7.transform", "config": {"rules": [{"meta": {"key": "control_id", "path": "MSH-10"}}]}}],
   "destinations": [
     {"id": "peer", "type": "mllp.sender", "config": {"host": "127.0.0.1", "port": $PEER_PORT, "connect_timeout_ms": 500}},
     {"id": "files", "type": "file.writer", "config": {"directory": "$WORK/out"}}]}]}
JSON
printf 'MSH|^~\\&|A|B|C|D|20260101||ADT^A01|CTRL9|P|2.5\rPID|1||42\r' >"$WORK/msg.hl7"
cat >"$WORK/net.test.json" <<'JSON'
{"config": "ferry.json", "channel": "net", "cases": [
  {"name": "reaches both destinations", "input": {"file": "msg.hl7"},
   "expect": {"peer": {"metadata": {"control_id": "CTRL9"}}, "files": {"hl7": {"MSH-10": "CTRL9"}}}}]}
JSON

python3 - "$FERRY" "$WORK" "$LISTEN_PORT" "$PEER_PORT" <<'PY' || fail "network check failed"
import socket, subprocess, sys
ferry, work, listen_port, peer_port = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])

def hold(port):
    s = socket.socket()
    s.bind(("127.0.0.1", port))  # no SO_REUSEADDR: a second bind must fail
    s.listen(8)
    s.setblocking(False)
    return s

def connections(s):
    n = 0
    while True:
        try:
            c, _ = s.accept()
            c.close()
            n += 1
        except BlockingIOError:
            return n

listener, peer = hold(listen_port), hold(peer_port)
for cmd in ([ferry, "try", "-c", work + "/ferry.json", "--channel", "net", "--message", work + "/msg.hl7"],
            [ferry, "test", work + "/net.test.json"]):
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        sys.exit("%s exited %d:\n%s%s" % (cmd[1], r.returncode, r.stdout, r.stderr))
    if cmd[1] == "try" and 'destination "peer": would receive application/hl7-v2' not in r.stdout:
        sys.exit("try output:\n" + r.stdout)
    if cmd[1] == "test" and "1 passed, 0 failed" not in r.stdout:
        sys.exit("test output:\n" + r.stdout)
    for name, s in (("listener", listener), ("peer", peer)):
        n = connections(s)
        if n:
            sys.exit("ferry %s made %d connection(s) to the %s port" % (cmd[1], n, name))

# Control: the same config under `ferry run` does bind the listener port,
# so with the port taken it must refuse to start.
r = subprocess.run([ferry, "run", "-c", work + "/ferry.json"], capture_output=True, text=True, timeout=60)
if r.returncode != 1 or "in use" not in r.stdout + r.stderr:
    sys.exit("control: ferry run exited %d (expected 1, port in use):\n%s%s" % (r.returncode, r.stdout, r.stderr))
PY

# Only the control run may have created the store; remove it and check the
# dry runs alone leave nothing.
rm -rf "$WORK/var"
"$FERRY" try -c "$WORK/ferry.json" --channel net --message "$WORK/msg.hl7" >/dev/null 2>&1 || fail "try failed"
"$FERRY" test "$WORK/net.test.json" >/dev/null 2>&1 || fail "test failed"
[ ! -e "$WORK/var" ] || fail "a dry run created $WORK/var: $(ls -la "$WORK/var")"
[ ! -e "$WORK/out" ] || fail "a dry run created the file.writer folder $WORK/out"
echo "PASS"
