# mllp.sender: ACK outcomes against a receiver that answers AA, AE, AR, a
# wrong MSA-2 or nothing; then Ferry to Ferry over MLLP.
source "$FERRY_SOURCE_DIR/tests/e2e/lib.sh"
PEER="$FERRY_SOURCE_DIR/tests/e2e/mllp/peer.py"

# The receiver sees: C1 (AA); C2 (AE) and C2 again (AA); C3 (AR: failed for
# good); C4 (an ACK for another message: ignored until the response timeout),
# C4 (no answer), C4 (AA); C5 (CA then AA, as in enhanced mode: the late AA
# must not be taken for C6's answer, nor cause a resend); C6 (AA).
python3 "$PEER" receiver "$WORK/port" "AEARWNADA" 9 >"$WORK/received.txt" &
PEER_PID=$!
wait_for 10 test -s "$WORK/port" || fail "receiver did not start"
cat >"$WORK/cfg.json" <<JSON
{"engine": {"plugin_dirs": ["$FERRY_PLUGIN_DIR", "$FERRY_TEST_PLUGIN_DIR"], "data_dir": "$WORK/var"},
 "plugins": ["mllp", "testkit"],
 "channels": [{"id": "out",
   "source": {"type": "testkit.counter",
              "config": {"count": 6, "interval_ms": 1, "prefix": "MSH|^~\\\\&|A|B|C|D|20261126||ADT^A01|C"}},
   "destinations": [{"id": "lab", "type": "mllp.sender",
                     "config": {"host": "127.0.0.1", "port": $(cat "$WORK/port"), "response_timeout_ms": 2000},
                     "retry": {"backoff": "fixed", "initial_ms": 100, "jitter": 0}}]}]}
JSON
start_ferry "$WORK/cfg.json" info
wait_for 30 bash -c "! kill -0 $PEER_PID 2>/dev/null" || fail "receiver saw only: $(tr '\n' ' ' <"$WORK/received.txt")"
[ "$(tr '\n' ' ' <"$WORK/received.txt")" = "C1 C2 C2 C3 C4 C4 C4 C5 C6 " ] || fail "order seen: $(tr '\n' ' ' <"$WORK/received.txt")"
status_of() {
  "$FERRY" messages search --text "ADT^A01|C$1" --json -c "$WORK/cfg.json" | python3 -c '
import json, subprocess, sys
mid = json.load(sys.stdin)[0]["id"]
m = json.loads(subprocess.check_output([sys.argv[1], "messages", "show", str(mid), "--json", "-c", sys.argv[2]]))
d = m["destinations"][0]
print(d["status"], d["attempts"], (d.get("last_error") or "").split(" ")[0], "MSA|" in (d.get("response") or ""))' "$FERRY" "$WORK/cfg.json"
}
wait_for 10 bash -c "'$FERRY' messages list --status queued --json -c '$WORK/cfg.json' | grep -q '^\[\]$'" || fail "still queued"
[ "$(status_of 1)" = "sent 1  True" ] || fail "C1: $(status_of 1)"
[ "$(status_of 2)" = "sent 2  True" ] || fail "C2: $(status_of 2)"
[ "$(status_of 3)" = "error 1 AR: True" ] || fail "C3: $(status_of 3)"
[ "$(status_of 4)" = "sent 3  True" ] || fail "C4: $(status_of 4)"
[ "$(status_of 5)" = "sent 1  True" ] || fail "C5: $(status_of 5)"
[ "$(status_of 6)" = "sent 1  True" ] || fail "C6: $(status_of 6)"
stop_ferry

# Ferry to Ferry: one engine, one channel sends over MLLP to another's listener.
port=$(free_port)
cat >"$WORK/pair.json" <<JSON
{"engine": {"plugin_dirs": ["$FERRY_PLUGIN_DIR", "$FERRY_TEST_PLUGIN_DIR"], "data_dir": "$WORK/var2"},
 "plugins": ["mllp", "testkit"],
 "channels": [
   {"id": "send", "source": {"type": "testkit.counter",
                             "config": {"count": 50, "interval_ms": 1, "prefix": "MSH|^~\\\\&|A|B|C|D|20261126||ORU^R01|X"}},
    "destinations": [{"id": "mllp", "type": "mllp.sender", "config": {"host": "localhost", "port": $port}}]},
   {"id": "receive", "source": {"type": "mllp.listener", "config": {"port": $port}},
    "destinations": [{"id": "file", "type": "testkit.sink", "config": {"path": "$WORK/pair.txt"}}]}]}
JSON
start_ferry "$WORK/pair.json" info
wait_lines "$WORK/pair.txt" 50 || fail "Ferry to Ferry: $(lines_in "$WORK/pair.txt") of 50"
stop_ferry
seq 1 50 | sed 's/^/MSH|^~\\\&|A|B|C|D|20261126||ORU^R01|X/' | diff - "$WORK/pair.txt" >/dev/null || fail "Ferry to Ferry content/order"
echo "mllp sender: ok"
