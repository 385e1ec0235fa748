# webhook.receiver refuses what is not signed right: a tampered body, no
# signature, the wrong secret, an old timestamp (generic scheme) get 401 with
# a JSON reason, a log line with the peer and the reason, and nothing is
# stored. A delivery id seen before is answered 200 with the first message's
# id and stored once, also after a restart.
source "$FERRY_SOURCE_DIR/tests/e2e/lib.sh"
cd "$WORK"
SIGNED="$FERRY_SOURCE_DIR/tests/e2e/webhook/signed.py"
printf 'hook-secret\n' >secret.txt
gen=$(free_port)
gh=$(free_port)
cat >cfg.json <<JSON
{"engine": {"plugin_dirs": ["$FERRY_PLUGIN_DIR", "$FERRY_TEST_PLUGIN_DIR"], "data_dir": "$WORK/var"},
 "plugins": ["webhook", "testkit"],
 "channels": [
   {"id": "gen", "source": {"type": "webhook.receiver",
      "config": {"port": $gen, "path": "/hook", "secret": "\${file:secret.txt}", "tolerance_seconds": 60,
                 "headers": ["X-Event"]}},
    "destinations": [{"id": "out", "type": "testkit.sink", "config": {"path": "$WORK/gen.txt"}}]},
   {"id": "gh", "source": {"type": "webhook.receiver",
      "config": {"port": $gh, "path": "/github", "secret": "\${file:secret.txt}", "scheme": "github"}},
    "destinations": [{"id": "out", "type": "testkit.sink", "config": {"path": "$WORK/gh.txt"}}]}]}
JSON
start_ferry cfg.json info
grep -q "listening for webhooks over HTTP on 127.0.0.1:$gen (path /hook, signature generic in X-Ferry-Signature, delivery id in X-Webhook-Id)" ferry.log ||
  fail "no listening line"

# expect <status> <python assertion on r (the answer)> <signed.py args...>
expect() {
  local status=$1 check=$2; shift 2
  python3 "$SIGNED" "$@" --status "$status" --check "$check" || fail "signed.py $*: $(cat answer.json 2>/dev/null)"
}
url="http://127.0.0.1:$gen/hook"
ghurl="http://127.0.0.1:$gh/github"
expect 202 'r["body"]["message_id"] > 0' "$url" generic hook-secret '{"ok": 1}' --id d-1
first=$(grep -o '"message_id": [0-9]*' answer.json | grep -o '[0-9]*$')
expect 401 'r["body"]["error"] == "signature: signature does not match" and "X-Ferry-Signature" in r["headers"]["www-authenticate"]' \
  "$url" generic hook-secret '{"ok": 2, "amount": 1000}' --sign-body '{"ok": 2, "amount": 1}' --id d-2
expect 401 '"missing signature header X-Ferry-Signature" in r["body"]["error"]' "$url" generic hook-secret '{"ok": 3}' --no-signature --id d-3
expect 401 'r["body"]["error"] == "signature: signature does not match"' "$url" generic wrong-secret '{"ok": 4}' --id d-4
expect 401 '"tolerance 60 s" in r["body"]["error"]' "$url" generic hook-secret '{"ok": 5}' --t "$(( $(date +%s) - 3600 ))" --id d-5
expect 202 'True' "$ghurl" github hook-secret '{"action": "opened"}' --id gh-1
expect 401 'True' "$ghurl" github hook-secret '{"action": "closed"}' --sign-body '{"action": "opened"}' --id gh-2
expect 401 'True' "$ghurl" frappe hook-secret '{"action": "opened"}' --id gh-3  # the wrong scheme's header

# Replays of a delivery: 200, the first message's id, stored once.
expect 200 "r['body'] == {'message_id': $first, 'duplicate': True}" "$url" generic hook-secret '{"ok": 1}' --id d-1
expect 200 "r['body'] == {'message_id': $first, 'duplicate': True}" "$url" generic hook-secret '{"ok": 1, "again": true}' --id d-1
expect 202 'True' "$url" generic hook-secret '{"no id": 1}'  # no delivery id: taken, without dedupe
wait_lines gen.txt 2 && wait_lines gh.txt 1 || fail "good deliveries not delivered"
[ "$(grep -c 'refused: 401 bad signature' ferry.log)" = 6 ] || fail "401s not all logged: $(grep 'refused' ferry.log)"
grep -q "127.0.0.1:[0-9]* POST /hook refused: 401 bad signature: missing signature header X-Ferry-Signature" ferry.log ||
  fail "401 log line lacks the peer or the reason"
grep -q "delivery d-1 was received before (message $first); answered 200" ferry.log || fail "duplicate not logged"
grep -q "hook-secret" ferry.log && fail "the secret reached the log"
stop_ferry

# After a restart the delivery id is still known.
mv ferry.log ferry-1.log  # start_ferry waits for a line in ferry.log: not the last run's
start_ferry cfg.json info
expect 200 "r['body'] == {'message_id': $first, 'duplicate': True}" "$url" generic hook-secret '{"ok": 1}' --id d-1
expect 200 'r["body"]["duplicate"] is True' "$ghurl" github hook-secret '{"action": "opened"}' --id gh-1
stop_ferry
"$FERRY" messages list --json --limit 100 -c cfg.json >all.json
python3 - <<'PY' || fail "store: $(cat all.json)"
import json
msgs = json.load(open("all.json"))
by = {}
for m in msgs:
    by.setdefault(m["channel"], []).append(m)
assert len(by["gen"]) == 2, by["gen"]  # d-1 once, and the one without an id
assert len(by["gh"]) == 1, by["gh"]
ids = sorted(m["metadata"].get("webhook.id", "") for m in by["gen"])
assert ids == ["", "d-1"], ids
PY
[ "$(lines_in gen.txt)" = 2 ] && [ "$(lines_in gh.txt)" = 1 ] || fail "delivered more than once: $(cat gen.txt gh.txt)"
echo "webhook security: ok"
