# channel.writer -> channel.reader: one intake channel fans out to two
# routing channels in the same engine; loops are refused by `ferry check`.
source "$FERRY_SOURCE_DIR/tests/e2e/lib.sh"

cat >"$WORK/cfg.json" <<JSON
{"engine": {"plugin_dirs": ["$FERRY_PLUGIN_DIR", "$FERRY_TEST_PLUGIN_DIR"], "data_dir": "$WORK/var"},
 "plugins": ["testkit", "channel"],
 "channels": [
   {"id": "intake",
    "source": {"type": "testkit.counter", "config": {"count": 20, "interval_ms": 2}},
    "destinations": [
      {"id": "to-lab", "type": "channel.writer", "config": {"channel": "lab"}},
      {"id": "to-billing", "type": "channel.writer", "config": {"channel": "billing"}}]},
   {"id": "lab", "source": {"type": "channel.reader"},
    "transformers": [{"type": "testkit.tag", "config": {"suffix": "-lab"}}],
    "destinations": [{"id": "out", "type": "testkit.sink", "config": {"path": "$WORK/lab.txt", "with_meta": true}}]},
   {"id": "billing", "source": {"type": "channel.reader"},
    "destinations": [{"id": "out", "type": "testkit.sink", "config": {"path": "$WORK/billing.txt"}}]}]}
JSON
"$FERRY" check -c "$WORK/cfg.json" >/dev/null || fail "check of the routing config"
start_ferry "$WORK/cfg.json" info
wait_lines "$WORK/lab.txt" 20 || fail "lab got $(lines_in "$WORK/lab.txt") of 20"
wait_lines "$WORK/billing.txt" 20 || fail "billing got $(lines_in "$WORK/billing.txt") of 20"
stop_ferry
[ "$(head -1 "$WORK/billing.txt")" = "msg-1" ] || fail "billing first line: $(head -1 "$WORK/billing.txt")"
head -1 "$WORK/lab.txt" | grep -qE '^msg-1-lab\|seq=1;source_channel=intake;source_message_id=[0-9]+;tag=yes;$' ||
  fail "metadata not passed along: $(head -1 "$WORK/lab.txt")"
seq 1 20 | sed 's/^/msg-/' | diff - "$WORK/billing.txt" >/dev/null || fail "billing out of order"

# Each hop is stored: the intake's deliveries count as sent only after the
# target stored the message.
"$FERRY" stats --json -c "$WORK/cfg.json" | python3 -c '
import json, sys
s = json.load(sys.stdin)
assert s["intake"]["destinations"]["to-lab"]["sent"] == 20, s
assert s["lab"]["received"] == 20 and s["billing"]["received"] == 20, s' || fail "stats across channels"

# A loop (lab -> billing -> lab) and an unknown target are config errors.
python3 - "$WORK/cfg.json" "$WORK/loop.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["channels"][1]["destinations"].append({"id": "back", "type": "channel.writer", "config": {"channel": "billing"}})
c["channels"][2]["destinations"].append({"id": "again", "type": "channel.writer", "config": {"channel": "lab"}})
c["channels"][2]["destinations"].append({"id": "lost", "type": "channel.writer", "config": {"channel": "nowhere"}})
json.dump(c, open(sys.argv[2], "w"))
PY
status=0; "$FERRY" check -c "$WORK/loop.json" >"$WORK/loop.out" 2>&1 || status=$?
[ $status -eq 1 ] || fail "a channel loop must fail check"
grep -qE "channels form a loop: (lab -> billing -> lab|billing -> lab -> billing)" "$WORK/loop.out" || fail "loop not named: $(cat "$WORK/loop.out")"
grep -q '/channels/2/destinations/2/config/channel: no channel "nowhere"' "$WORK/loop.out" || fail "unknown target: $(cat "$WORK/loop.out")"
echo "channel_routing: ok"
