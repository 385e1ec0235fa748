# http.sender outcomes against a real HTTP server told what to answer:
# 500 and 429 are retried (the next attempt waits for Retry-After, not only
# for the channel's short backoff), 400 fails the message at once with the
# answer stored, an answer slower than timeout_ms is retried.
source "$FERRY_SOURCE_DIR/tests/e2e/http_sender/lib.sh"

# One answer per request, in arrival order (a destination sends one at a time).
cat >"$WORK/web.control" <<'EOF'
500
429 retry-after=2
200
400 body=no+such+patient
200 delay=3000
200
EOF
start_peer web
PORT=$(cat "$WORK/web.port")
cat >"$WORK/cfg.json" <<JSON
{"engine": {"plugin_dirs": ["$FERRY_PLUGIN_DIR", "$FERRY_TEST_PLUGIN_DIR"], "data_dir": "$WORK/var"},
 "plugins": ["http", "testkit"],
 "channels": [
  {"id": "out", "source": {"type": "testkit.counter", "config": {"count": 4, "interval_ms": 1, "prefix": "m"}},
   "destinations": [{"id": "api", "type": "http.sender",
     "config": {"url": "http://127.0.0.1:$PORT/in/\${meta:seq}", "timeout_ms": 1000},
     "retry": {"backoff": "fixed", "initial_ms": 100, "jitter": 0}}]}]}
JSON
start_ferry "$WORK/cfg.json" info
wait_lines "$WORK/web.jsonl" 7 || fail "$(requests web) of 7 requests"
wait_for 20 none_queued || fail "deliveries still queued"
stop_ferry

# Request order and timing: m1 500 -> m1 429 (Retry-After 2) -> m1 200 no
# sooner than 2 s later -> m2 400 -> m3 slow (timed out) -> m3 -> m4.
python3 - "$WORK/web.jsonl" <<'PY' || fail "request sequence (see above)"
import json, sys
reqs = [json.loads(l) for l in open(sys.argv[1])]
paths = [r["path"] for r in reqs]
want = ["/in/1", "/in/1", "/in/1", "/in/2", "/in/3", "/in/3", "/in/4"]
if paths != want:
    sys.exit(f"FAIL: paths {paths} != {want}")
t = [r["time"] for r in reqs]
if t[1] - t[0] > 1.5:
    sys.exit(f"FAIL: the retry after a 500 took {t[1] - t[0]:.2f} s (backoff is 100 ms)")
if t[2] - t[1] < 1.9:
    sys.exit(f"FAIL: Retry-After 2 not honoured: next attempt after {t[2] - t[1]:.2f} s")
if not 0.9 < t[5] - t[4] < 2.9:
    sys.exit(f"FAIL: the slow answer was not given up after timeout_ms: {t[5] - t[4]:.2f} s")
PY

outcome() {  # <seq>: "status attempts|last_error|response_type|response"
  local id
  id=$("$FERRY" messages search --meta "seq=$1" --json -c "$WORK/cfg.json" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
  show "$id" | python3 -c '
import json, sys
d = json.load(sys.stdin)["destinations"][0]
print(str(d["status"]) + " " + str(d["attempts"]) + "|" + "|".join([d.get("last_error") or "", d.get("response_type") or "", (d.get("response") or "").strip()]))'
}
o1=$(outcome 1); o2=$(outcome 2); o3=$(outcome 3); o4=$(outcome 4)
[[ "$o1" == "sent 3||application/json|"*'"ok": true'* ]] || fail "m1: $o1"
[ "$o2" = "error 1|HTTP 400 Bad Request: no such patient|text/plain|no such patient" ] || fail "m2: $o2"
[[ "$o3" == "sent 2||application/json|"* ]] || fail "m3: $o3"
[[ "$o4" == "sent 1||application/json|"* ]] || fail "m4: $o4"
grep -q 'attempt 1 failed, will retry: HTTP 500 Internal Server Error' "$WORK/ferry.log" || fail "500 not logged as retry"
grep -q 'attempt 2 failed, will retry: HTTP 429 Too Many Requests (Retry-After: 2 s)' "$WORK/ferry.log" || fail "429 not logged with Retry-After"
grep -q 'failed, will retry: timed out: ' "$WORK/ferry.log" || fail "timeout not logged as retry"
# `ferry messages show` (text) prints the stored answer of the failed message.
id2=$("$FERRY" messages search --meta seq=2 --json -c "$WORK/cfg.json" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
"$FERRY" messages show "$id2" -c "$WORK/cfg.json" >"$WORK/show.txt"
grep -q "response (text/plain)" "$WORK/show.txt" && grep -q "no such patient" "$WORK/show.txt" ||
  fail "messages show: $(cat "$WORK/show.txt")"
echo "http sender outcomes: ok"
