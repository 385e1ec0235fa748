# Signature round trip across two Ferry channels: webhook.sender signs and
# posts, webhook.receiver verifies and stores, for every scheme (generic with
# its timestamp, GitHub, Frappe, plain HMAC in base64 under a custom header).
# Every message arrives once, as the exact envelope that was signed, with the
# sender's event id as webhook.id.
source "$FERRY_SOURCE_DIR/tests/e2e/lib.sh"
cd "$WORK"
export WH_SECRET="It's a Secret to Everybody"
channels=""
for scheme in generic github frappe hmac; do
  port=$(free_port)
  extra=""
  [ "$scheme" = hmac ] && extra=', "header": "X-Lab-Signature", "encoding": "base64"'
  channels+="
   {\"id\": \"out-$scheme\", \"source\": {\"type\": \"testkit.counter\",
      \"config\": {\"count\": 5, \"interval_ms\": 10, \"prefix\": \"{\\\"n\\\": \", \"content_type\": \"application/json\"}},
    \"transformers\": [{\"type\": \"testkit.tag\", \"config\": {\"suffix\": \"}\"}}],
    \"destinations\": [{\"id\": \"hook\", \"type\": \"webhook.sender\",
      \"config\": {\"url\": \"http://127.0.0.1:$port/hooks/$scheme\", \"secret\": \"\${env:WH_SECRET}\",
                 \"scheme\": \"$scheme\"$extra, \"id_header\": \"X-Webhook-Id\"},
      \"retry\": {\"backoff\": \"fixed\", \"initial_ms\": 100}}]},
   {\"id\": \"in-$scheme\", \"source\": {\"type\": \"webhook.receiver\",
      \"config\": {\"port\": $port, \"path\": \"/hooks/$scheme\", \"secret\": \"\${env:WH_SECRET}\",
                 \"scheme\": \"$scheme\"$extra, \"id_header\": \"X-Webhook-Id\", \"require_id\": true}},
    \"destinations\": [{\"id\": \"out\", \"type\": \"testkit.sink\", \"config\": {\"path\": \"$WORK/$scheme.txt\"}}]},"
done
cat >cfg.json <<JSON
{"engine": {"plugin_dirs": ["$FERRY_PLUGIN_DIR", "$FERRY_TEST_PLUGIN_DIR"], "data_dir": "$WORK/var"},
 "plugins": ["webhook", "testkit"],
 "channels": [${channels%,}]}
JSON
start_ferry cfg.json info
for scheme in generic github frappe hmac; do
  wait_lines "$scheme.txt" 5 || fail "$scheme: $(lines_in "$scheme.txt") of 5 delivered"
done
sleep 0.5
for scheme in generic github frappe hmac; do
  [ "$(lines_in "$scheme.txt")" = 5 ] || fail "$scheme: $(lines_in "$scheme.txt") deliveries, expected 5"
  "$FERRY" messages list --channel "in-$scheme" --json --limit 100 -c cfg.json >"in-$scheme.json"
  python3 - "$scheme" <<'PY' || fail "$scheme: stored deliveries"
import json, sys
scheme = sys.argv[1]
msgs = json.load(open(f"in-{scheme}.json"))
assert len(msgs) == 5, len(msgs)
ns = set()
ids = set()
for m in msgs:
    md = m["metadata"]
    assert m["content_type"] == "application/json", m
    assert md["http.path"] == f"/hooks/{scheme}", md
    ids.add(md["webhook.id"])
    assert md["dedupe_key"] == md["webhook.id"], md
for line in open(f"{scheme}.txt"):
    env = json.loads(line)  # the exact envelope the sender signed
    assert env["channel"] == f"out-{scheme}", env
    ns.add(env["data"]["n"])
    assert env["id"] in ids, (env["id"], ids)
assert ns == {1, 2, 3, 4, 5}, ns
PY
done
grep -q "refused: 401" ferry.log && fail "a good signature was refused: $(grep 'refused: 401' ferry.log | head -3)"
stop_ferry
echo "webhook roundtrip: ok"
