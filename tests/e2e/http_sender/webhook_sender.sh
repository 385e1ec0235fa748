# webhook.sender against a real HTTP server: every scheme (generic with its
# timestamp, GitHub, Frappe, plain HMAC in base64 under a custom header) is
# verified in Python with the hmac module over the exact bytes received; the
# envelope carries HL7 as HL7 JSON and JSON as JSON; a retried message keeps
# its event id (X-Webhook-Id); envelope=false signs the raw content.
source "$FERRY_SOURCE_DIR/tests/e2e/http_sender/lib.sh"

export WH_SECRET="It's a Secret to Everybody"
echo "500" >"$WORK/gen.control"  # the first generic delivery fails once
start_peer gen
start_peer other
GEN=$(cat "$WORK/gen.port")
OTHER=$(cat "$WORK/other.port")
HL7='MSH|^~\\&|LAB|HOSP|EHR|CLINIC|20261126120000||ADT^A01|C1|P|2.5\rPID|1||MRN'  # JSON text
cat >"$WORK/cfg.json" <<JSON
{"engine": {"plugin_dirs": ["$FERRY_PLUGIN_DIR", "$FERRY_TEST_PLUGIN_DIR"], "data_dir": "$WORK/var"},
 "plugins": ["webhook", "testkit"],
 "channels": [
  {"id": "gen", "source": {"type": "testkit.counter",
     "config": {"count": 2, "interval_ms": 20, "prefix": "$HL7", "content_type": "application/hl7-v2"}},
   "destinations": [{"id": "hook", "type": "webhook.sender",
     "config": {"url": "http://127.0.0.1:$GEN/gen/\${MSH-9.1}", "secret": "\${env:WH_SECRET}", "event": "hl7.\${MSH-9.2}"},
     "retry": {"backoff": "fixed", "initial_ms": 100, "jitter": 0}}]},
  {"id": "gh", "source": {"type": "testkit.counter",
     "config": {"count": 2, "interval_ms": 20, "prefix": "{\"n\": ", "content_type": "application/json"}},
   "transformers": [{"type": "testkit.tag", "config": {"suffix": "}"}}],
   "destinations": [{"id": "hook", "type": "webhook.sender",
     "config": {"url": "http://127.0.0.1:$OTHER/gh", "secret": "\${env:WH_SECRET}", "scheme": "github",
                "headers": {"X-Site": "\${meta:tag}"}}}]},
  {"id": "fr", "source": {"type": "testkit.counter",
     "config": {"count": 2, "interval_ms": 20, "prefix": "{\"doc\": ", "content_type": "application/json"}},
   "transformers": [{"type": "testkit.tag", "config": {"suffix": "}"}}],
   "destinations": [{"id": "hook", "type": "webhook.sender",
     "config": {"url": "http://127.0.0.1:$OTHER/fr", "secret": "\${env:WH_SECRET}", "scheme": "frappe",
                "include_metadata": true}}]},
  {"id": "hm", "source": {"type": "testkit.counter",
     "config": {"count": 2, "interval_ms": 20, "prefix": "plain text "}},
   "destinations": [{"id": "hook", "type": "webhook.sender",
     "config": {"url": "http://127.0.0.1:$OTHER/hm", "secret": "\${env:WH_SECRET}", "scheme": "hmac",
                "header": "X-Lab-Signature", "encoding": "base64", "envelope": false, "id_header": "X-Delivery"}}]}]}
JSON
"$FERRY" check -c "$WORK/cfg.json" >/dev/null || fail "config check: $("$FERRY" check -c "$WORK/cfg.json" 2>&1)"
start_ferry "$WORK/cfg.json" info
wait_lines "$WORK/gen.jsonl" 3 || fail "generic: $(requests gen) of 3 requests"
wait_lines "$WORK/other.jsonl" 6 || fail "others: $(requests other) of 6 requests"
wait_for 20 none_queued || fail "deliveries still queued"
stop_ferry
grep -qF "$WH_SECRET" "$WORK/ferry.log" && fail "the secret reached the log"

python3 - "$WORK/gen.jsonl" "$WORK/other.jsonl" "$WH_SECRET" <<'PY' || fail "webhook checks (see above)"
import base64, hashlib, hmac, json, sys, time
secret = sys.argv[3].encode()
def load(path):
    out = []
    for line in open(path):
        r = json.loads(line)
        r["h"] = {k.lower(): v for k, v in r["headers"]}
        r["body"] = base64.b64decode(r["body_b64"])
        out.append(r)
    return out
def mac(data):
    return hmac.new(secret, data, hashlib.sha256)
def check(cond, what):
    if not cond:
        print("FAIL:", what, file=sys.stderr)
        sys.exit(1)

gen = load(sys.argv[1])
others = load(sys.argv[2])
# generic: t=<unix>,v1=<hex HMAC of "<t>.<body>">, within 300 s of now.
ids = []
for r in gen:
    check(r["method"] == "POST" and r["path"] == "/gen/ADT", f"generic request line: {r['method']} {r['path']}")
    sig = dict(p.split("=", 1) for p in r["h"]["x-ferry-signature"].split(","))
    t = int(sig["t"])
    check(abs(time.time() - t) < 300, f"generic timestamp {t}")
    check(hmac.compare_digest(sig["v1"], mac(str(t).encode() + b"." + r["body"]).hexdigest()), "generic signature")
    check(not hmac.compare_digest(sig["v1"], mac(str(t).encode() + b"." + r["body"] + b" ").hexdigest()), "tampered body must not verify")
    check(r["h"]["content-type"] == "application/json", "generic content type")
    env = json.loads(r["body"])
    check(list(env) == ["id", "event", "channel", "timestamp", "message_id", "content_type", "data"], f"envelope keys {list(env)}")
    check(env["id"] == r["h"]["x-webhook-id"], "X-Webhook-Id carries the event id")
    check(env["event"] == "hl7.A01" and env["channel"] == "gen", f"event/channel {env['event']} {env['channel']}")
    check(env["content_type"] == "application/hl7-v2", "content_type")
    check(env["data"]["segments"][0]["name"] == "MSH", "HL7 as HL7 JSON")
    ids.append((env["message_id"], env["id"], env["data"]["segments"][1]["fields"][2]))
# The first message was answered 500 and retried: same message, same id.
check(ids[0][0] == ids[1][0] and ids[0][1] == ids[1][1], f"retry kept the event id: {ids[:2]}")
check(ids[2][0] != ids[0][0] and ids[2][1] != ids[0][1], "a new message has a new event id")
check([i[2] for i in ids] == ["MRN1", "MRN1", "MRN2"], f"PID-3 in data: {[i[2] for i in ids]}")

by_path = {}
for r in others:
    by_path.setdefault(r["path"], []).append(r)
check(sorted(by_path) == ["/fr", "/gh", "/hm"], f"paths {sorted(by_path)}")
for n, r in enumerate(by_path["/gh"], 1):
    check(r["h"]["x-hub-signature-256"] == "sha256=" + mac(r["body"]).hexdigest(), "github signature")
    env = json.loads(r["body"])
    check(env["data"] == {"n": n}, f"JSON data embedded as JSON: {env['data']}")
    check(r["h"]["x-site"] == "yes", "extra header from metadata")
for r in by_path["/fr"]:
    check(r["h"]["x-frappe-webhook-signature"] == base64.b64encode(mac(r["body"]).digest()).decode(), "frappe signature")
    env = json.loads(r["body"])
    check(env["metadata"]["seq"] in ("1", "2") and env["metadata"]["tag"] == "yes", f"metadata {env.get('metadata')}")
for n, r in enumerate(by_path["/hm"], 1):
    check(r["body"] == f"plain text {n}".encode(), f"raw body {r['body']!r}")
    check(r["h"]["x-lab-signature"] == base64.b64encode(mac(r["body"]).digest()).decode(), "hmac base64 signature")
    check(r["h"]["content-type"] == "text/plain", "raw content type")
    check(len(r["h"]["x-delivery"]) == 36 and "x-webhook-id" not in r["h"], "custom id header")
PY

# The store has the receiver's answer and both attempts of message 1.
id1=$("$FERRY" messages search --channel gen --meta seq=1 --json -c "$WORK/cfg.json" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
show "$id1" | python3 -c '
import json, sys
d = json.load(sys.stdin)["destinations"][0]
assert d["status"] == "sent" and d["attempts"] == 2, d
assert json.loads(d["response"])["ok"] is True and d["response_type"] == "application/json", d
' || fail "stored outcome of the retried webhook: $(show "$id1")"

# A bad secret reference or scheme is a config error naming the key.
sed 's/"scheme": "github"/"scheme": "stripe"/' "$WORK/cfg.json" >"$WORK/bad.json"
"$FERRY" check -c "$WORK/bad.json" >"$WORK/bad.out" 2>&1 && fail "scheme stripe accepted"
grep -q "/channels/1/destinations/0/config/scheme" "$WORK/bad.out" || fail "scheme error: $(cat "$WORK/bad.out")"
echo "webhook sender: ok"
