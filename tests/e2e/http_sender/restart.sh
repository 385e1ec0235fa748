# http.sender while the server is down, comes up, is killed (kill -9, with
# a kept-alive connection open) and comes back: every message is delivered,
# in order, once the server is back.
source "$FERRY_SOURCE_DIR/tests/e2e/http_sender/lib.sh"

PORT=$(free_port)
cat >"$WORK/cfg.json" <<JSON
{"engine": {"plugin_dirs": ["$FERRY_PLUGIN_DIR", "$FERRY_TEST_PLUGIN_DIR"], "data_dir": "$WORK/var"},
 "plugins": ["http", "testkit"],
 "channels": [
  {"id": "out", "source": {"type": "testkit.counter", "config": {"count": 12, "interval_ms": 150, "prefix": "m"}},
   "destinations": [{"id": "api", "type": "http.sender",
     "config": {"url": "http://127.0.0.1:$PORT/in/\${meta:seq}", "connect_timeout_ms": 1000, "timeout_ms": 2000},
     "retry": {"backoff": "fixed", "initial_ms": 100, "jitter": 0}}]}]}
JSON
start_ferry "$WORK/cfg.json" info
wait_for 20 grep -q "message 1 attempt 2 failed, will retry: .*Couldn't connect\|message 1 attempt 2 failed, will retry: .*Connection refused" "$WORK/ferry.log" ||
  fail "no retry while the server is down"
[ "$(requests web)" -eq 0 ] || fail "requests recorded while the server was down"

start_peer web "$PORT"
wait_lines "$WORK/web.jsonl" 3 || fail "after the server came up: $(requests web) requests"
kill -9 "$PEER_PID"
sleep 0.5
start_peer web "$PORT"
all_arrived() { python3 -c 'import json,sys; sys.exit(len({json.loads(l)["path"] for l in open(sys.argv[1])}) < 12)' "$WORK/web.jsonl"; }
wait_for 30 all_arrived || fail "not every message reached the server"
wait_for 10 none_queued || fail "deliveries still queued"
stop_ferry

# Every message arrived; in order of first arrival (a message may arrive
# twice if the server died after reading it, before answering).
python3 - "$WORK/web.jsonl" <<'PY' || fail "arrivals (see above)"
import json, sys
seen = []
for l in open(sys.argv[1]):
    p = json.loads(l)["path"]
    if p not in seen:
        seen.append(p)
want = [f"/in/{n}" for n in range(1, 13)]
if seen != want:
    sys.exit(f"FAIL: first arrivals {seen} != {want}")
PY
"$FERRY" messages list --json -c "$WORK/cfg.json" | python3 -c '
import json, sys
rows = json.load(sys.stdin)
assert len(rows) == 12 and all(r["status"] == "sent" for r in rows), rows
' || fail "stored statuses: $("$FERRY" messages list -c "$WORK/cfg.json")"
echo "http sender restart: ok"
