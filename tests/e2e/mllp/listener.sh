# mllp.listener against real clients: Debian's mllp_send (python3-hl7), then
# pipelined frames, hostile peers and a connection flood from peer.py.
source "$FERRY_SOURCE_DIR/tests/e2e/lib.sh"
command -v mllp_send >/dev/null || fail "mllp_send missing (package python3-hl7)"
PEER="$FERRY_SOURCE_DIR/tests/e2e/mllp/peer.py"
port=$(free_port)
cat >"$WORK/cfg.json" <<JSON
{"engine": {"plugin_dirs": ["$FERRY_PLUGIN_DIR", "$FERRY_TEST_PLUGIN_DIR"], "data_dir": "$WORK/var"},
 "plugins": ["mllp", "testkit"],
 "channels": [{"id": "adt",
   "source": {"type": "mllp.listener",
              "config": {"port": $port, "max_connections": 4, "max_message_bytes": 4096, "read_timeout_ms": 1000}},
   "destinations": [{"id": "out", "type": "testkit.sink", "config": {"path": "$WORK/out.txt"}}]}]}
JSON
start_ferry "$WORK/cfg.json" info

# mllp_send reads an MLLP-framed stream from the file.
for i in 1 2 3; do
  printf '\x0bMSH|^~\\&|LAB|HOSP|EHR|HOSP|20261126120000||ADT^A01|MSG%s|P|2.5\rPID|1||%s^^^HOSP||DOE^JANE\r\x1c\r' "$i" "$i"
done >"$WORK/msgs.txt"
mllp_send -p "$port" -f "$WORK/msgs.txt" 127.0.0.1 >"$WORK/acks.txt" 2>&1 || fail "mllp_send failed: $(cat "$WORK/acks.txt")"
for i in 1 2 3; do
  tr -d '\013\034' <"$WORK/acks.txt" | tr '\r' '\n' | grep -qx "MSA|AA|MSG$i" || fail "no AA for MSG$i: $(tr -d '\013\034' <"$WORK/acks.txt" | tr '\r' '\n')"
done
# The ACK's MSH: sender and receiver swapped, ACK^A01^ACK, same version.
tr -d '\013\034' <"$WORK/acks.txt" | tr '\r' '\n' | grep -qE '^MSH\|\^~\\&\|EHR\|HOSP\|LAB\|HOSP\|[0-9]+\|\|ACK\^A01\^ACK\|[^|]+\|P\|2\.5' ||
  fail "ACK MSH not as expected: $(tr -d '\013\034' <"$WORK/acks.txt" | tr '\r' '\n' | grep ^MSH | head -1)"

# Stored with HL7 metadata, findable by control id.
wait_lines "$WORK/out.txt" 3 || fail "messages not delivered"
"$FERRY" messages search --meta control_id=MSG2 --json -c "$WORK/cfg.json" | python3 -c '
import json, sys
r = json.load(sys.stdin)
assert len(r) == 1, r
m = r[0]["metadata"]
assert m["message_type"] == "ADT^A01" and m["hl7_version"] == "2.5" and m["sending_application"] == "LAB", m
assert m["remote_address"].startswith("127.0.0.1:"), m
assert r[0]["content_type"] == "application/hl7-v2", r' || fail "store metadata"

python3 "$PEER" pipelined "$port" 20 || fail "pipelining"
python3 "$PEER" hostile "$port" 4096 || fail "hostile peers"
python3 "$PEER" flood "$port" 4 || fail "connection flood"
kill -0 "$FERRY_PID" || fail "ferry died"
grep -q "ignored bytes outside an MLLP frame" "$WORK/ferry.log" || fail "garbage not logged"
grep -q "rejected an unparsable message" "$WORK/ferry.log" || fail "unparsable not logged"
grep -q "message not completed within read_timeout_ms" "$WORK/ferry.log" || fail "stuck peer not logged"
grep -q "refused: max_connections (4) reached" "$WORK/ferry.log" || fail "flood not logged"
stop_ferry
echo "mllp listener: ok"
