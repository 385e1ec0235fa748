# http.sender against a real HTTP server: templated URL (${PID-3.1},
# percent-encoded), method and headers (metadata with CR/LF stripped, a
# secret from the environment), the content as the default body, a JSON body
# template with JSON escaping, one kept-alive connection per destination,
# and the response stored (`ferry messages show`).
source "$FERRY_SOURCE_DIR/tests/e2e/http_sender/lib.sh"

export API_TOKEN="tok-123"
start_peer web
PORT=$(cat "$WORK/web.port")
# Content: MSH + PID with PID-3.1 "MRN 1/<n>" (a space and a slash to encode).
HL7='MSH|^~\\&|LAB|HOSP|EHR|CLINIC|20261126120000||ADT^A01|C1|P|2.5\rPID|1||MRN 1/'  # JSON text
cat >"$WORK/cfg.json" <<JSON
{"engine": {"plugin_dirs": ["$FERRY_PLUGIN_DIR", "$FERRY_TEST_PLUGIN_DIR"], "data_dir": "$WORK/var"},
 "plugins": ["http", "testkit"],
 "channels": [
  {"id": "adt", "source": {"type": "testkit.counter",
     "config": {"count": 3, "interval_ms": 20, "prefix": "$HL7", "content_type": "application/hl7-v2"}},
   "transformers": [{"type": "testkit.tag", "config": {"key": "site", "value": "north\\r\\nX-Injected: yes"}}],
   "destinations": [
     {"id": "fhir", "type": "http.sender",
      "config": {"url": "http://127.0.0.1:$PORT/fhir/Patient/\${PID-3.1}?site=\${meta:site}", "method": "put",
                 "headers": {"X-Site": "\${meta:site}", "X-Message": "\${message_id}",
                             "Authorization": "Bearer \${env:API_TOKEN}"}}},
     {"id": "json", "type": "http.sender",
      "config": {"url": "http://127.0.0.1:$PORT/json", "content_type": "application/json", "body_escape": "json",
                 "body": "{\"mrn\": \"\${PID-3.1}\", \"site\": \"\${meta:site}\", \"type\": \"\${MSH-9}\"}"}}]}]}
JSON
"$FERRY" check -c "$WORK/cfg.json" >/dev/null || fail "config check: $("$FERRY" check -c "$WORK/cfg.json" 2>&1)"
start_ferry "$WORK/cfg.json" info
wait_lines "$WORK/web.jsonl" 6 || fail "$(requests web) of 6 requests"
wait_for 20 none_queued || fail "deliveries still queued"
stop_ferry

python3 - "$WORK/web.jsonl" <<'PY' || fail "request checks (see above)"
import base64, json, sys
def check(cond, what):
    if not cond:
        print("FAIL:", what, file=sys.stderr)
        sys.exit(1)
reqs = []
for line in open(sys.argv[1]):
    r = json.loads(line)
    r["h"] = {}
    for k, v in r["headers"]:
        r["h"].setdefault(k.lower(), []).append(v)
    r["body"] = base64.b64decode(r["body_b64"])
    reqs.append(r)
fhir = [r for r in reqs if r["path"].startswith("/fhir/")]
js = [r for r in reqs if r["path"] == "/json"]
check(len(fhir) == 3 and len(js) == 3, f"{len(fhir)} fhir and {len(js)} json requests")
for n, r in enumerate(fhir, 1):
    check(r["method"] == "PUT", f"method {r['method']}")
    want = f"/fhir/Patient/MRN%201%2F{n}?site=north%0D%0AX-Injected%3A%20yes"
    check(r["path"] == want, f"path {r['path']} != {want}")
    check(r["h"]["x-site"] == ["north  X-Injected: yes"], f"X-Site {r['h'].get('x-site')}")
    check("x-injected" not in r["h"], "a header was injected through metadata")
    check(r["h"]["authorization"] == ["Bearer tok-123"], "Authorization from ${env:...}")
    check(r["h"]["x-message"][0].isdigit(), "X-Message is the message id")
    check(r["h"]["content-type"] == ["application/hl7-v2"], f"content type {r['h'].get('content-type')}")
    check(r["h"]["user-agent"][0].startswith("Ferry/"), "user agent")
    want_body = f"MSH|^~\\&|LAB|HOSP|EHR|CLINIC|20261126120000||ADT^A01|C1|P|2.5\rPID|1||MRN 1/{n}".encode()
    check(r["body"] == want_body, f"body {r['body']!r}")
for n, r in enumerate(js, 1):
    check(r["method"] == "POST" and r["h"]["content-type"] == ["application/json"], "json request line/type")
    doc = json.loads(r["body"])
    check(doc == {"mrn": f"MRN 1/{n}", "site": "north\r\nX-Injected: yes", "type": "ADT^A01"}, f"json body {doc}")
# Connection reuse: each destination kept one connection for its requests.
check(len({r["client_port"] for r in fhir}) == 1, f"fhir used ports {[r['client_port'] for r in fhir]}")
check(len({r["client_port"] for r in js}) == 1, f"json used ports {[r['client_port'] for r in js]}")
PY

# The answer is stored as the delivery's response.
id2=$("$FERRY" messages search --meta seq=2 --json -c "$WORK/cfg.json" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
show "$id2" | python3 -c '
import json, sys
for d in json.load(sys.stdin)["destinations"]:
    assert d["status"] == "sent" and d["attempts"] == 1, d
    assert d["response_type"] == "application/json", d
    assert json.loads(d["response"])["ok"] is True, d
' || fail "stored responses: $(show "$id2")"
"$FERRY" messages show "$id2" -c "$WORK/cfg.json" | grep -q '"ok": true' || fail "messages show: $("$FERRY" messages show "$id2" -c "$WORK/cfg.json")"

# Config mistakes are refused at start, naming the key.
expect_refused() {  # <jq-free sed expression> <text expected in the error>
  sed "$1" "$WORK/cfg.json" >"$WORK/bad.json"
  local rc=0
  timeout 30 "$FERRY" run -c "$WORK/bad.json" >"$WORK/bad.log" 2>&1 || rc=$?
  [ "$rc" -ne 0 ] && [ "$rc" -ne 124 ] || fail "ferry run accepted ($1), exit $rc"
  grep -qF "$2" "$WORK/bad.log" || fail "error for ($1) lacks '$2': $(tail -3 "$WORK/bad.log")"
}
expect_refused "s#http://127.0.0.1:$PORT/json#ftp://127.0.0.1/x#" "url: must start with http:// or https://"
expect_refused 's#"X-Site":#"Bad Name":#' 'is not a valid header name'
expect_refused 's#"X-Site":#"Content-Length":#' "headers: Content-Length is set by the sender itself"
expect_refused 's#"method": "put"#"method": "P U T"#' 'is not an HTTP method'
expect_refused "s#\"content_type\": \"application/json\"#\"tls_ca\": \"$WORK/missing.pem\"#" "tls_ca: cannot read $WORK/missing.pem"
expect_refused 's#"body_escape": "json"#"success_codes": ["2xy"]#' 'is not a status code'
expect_refused 's#\${PID-3.1}?site#\${PID-3.1?site#' 'url'
echo "http sender basic: ok"
