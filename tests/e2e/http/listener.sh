# http.listener against curl and raw-socket peers: 202 with the stored id,
# content types and request metadata in the store, 404/405/413/400/408 with
# JSON bodies, pipelining, and slow clients that do not hold up others.
source "$FERRY_SOURCE_DIR/tests/e2e/lib.sh"
command -v curl >/dev/null || fail "curl missing"
PEER="$FERRY_SOURCE_DIR/tests/e2e/http/peer.py"
cd "$WORK"
port=$(free_port)
cat >cfg.json <<JSON
{"engine": {"plugin_dirs": ["$FERRY_PLUGIN_DIR", "$FERRY_TEST_PLUGIN_DIR"], "data_dir": "$WORK/var"},
 "plugins": ["http", "testkit"],
 "channels": [{"id": "in",
   "source": {"type": "http.listener",
              "config": {"port": $port, "path": ["/in", "/fhir/*"], "methods": ["POST", "PUT"],
                         "headers": ["X-Request-Id", "X-Absent"], "max_body_bytes": 4096,
                         "header_timeout_ms": 1500, "request_timeout_ms": 2500}},
   "destinations": [{"id": "out", "type": "testkit.sink", "config": {"path": "$WORK/out.txt"}}]}]}
JSON
start_ferry cfg.json
grep -q "listening for HTTP on 127.0.0.1:$port (path /in /fhir/\*, response accepted)" ferry.log || fail "no listening line"

# curl_status <expected> <curl args...>: the body goes to body.txt, headers to headers.txt.
curl_status() {
  local want=$1 got; shift
  got=$(curl -s -o body.txt -D headers.txt -w '%{http_code}' "$@") || true
  [ "$got" = "$want" ] || fail "curl $*: status $got, expected $want: $(cat body.txt 2>/dev/null)"
}
json_field() { python3 -c "import json,sys; print(json.load(open('body.txt'))['$1'])"; }

# 202 with the id, stored with the content type and the request's details.
curl_status 202 -X POST -H 'Content-Type: application/fhir+json' -H 'X-Request-Id: req-1' \
  --data-binary '{"resourceType":"Patient","id":"p1"}' "http://127.0.0.1:$port/fhir/Patient?_format=json&x=1"
id=$(json_field message_id)
grep -qi '^content-type: application/json' headers.txt || fail "202 body is not JSON"
"$FERRY" messages show "$id" --json -c cfg.json >show.json || fail "message $id not in the store"
python3 - "$port" <<'PY' || fail "stored message: $(cat show.json)"
import json, sys
m = json.load(open("show.json"))
assert m["raw"] == '{"resourceType":"Patient","id":"p1"}', m
assert m["content_type"] == "application/fhir+json", m
md = m["metadata"]
assert md["http.method"] == "POST" and md["http.path"] == "/fhir/Patient", md
assert md["http.query"] == "_format=json&x=1", md
assert md["http.header.x-request-id"] == "req-1", md
assert "http.header.x-absent" not in md, md
assert md["http.remote_addr"].startswith("127.0.0.1:"), md
PY
for type in application/json application/hl7-v2 text/plain 'text/plain; charset=utf-8'; do
  curl_status 202 -X PUT -H "Content-Type: $type" --data-binary "body as $type" "http://127.0.0.1:$port/in"
  "$FERRY" messages show "$(json_field message_id)" --json -c cfg.json |
    python3 -c "import json,sys; m=json.load(sys.stdin); assert m['content_type'] == '$type', m" || fail "content type $type not kept"
done
# No Content-Type: application/octet-stream; an empty body is a message too.
curl_status 202 -X POST -H 'Content-Type:' --data-binary 'raw' "http://127.0.0.1:$port/in"
"$FERRY" messages show "$(json_field message_id)" --json -c cfg.json |
  python3 -c "import json,sys; m=json.load(sys.stdin); assert m['content_type'] == 'application/octet-stream', m" || fail "default content type"
curl_status 202 -X POST -H 'Content-Length: 0' "http://127.0.0.1:$port/in"
# Keep-alive: curl reuses one connection for several URLs.
curl -s -w '%{http_code} %{num_connects}\n' -X POST --data-binary a \
  -o /dev/null "http://127.0.0.1:$port/in" -o /dev/null "http://127.0.0.1:$port/in" -o /dev/null "http://127.0.0.1:$port/in" >reuse.txt
[ "$(grep -c '^202' reuse.txt)" = 3 ] && [ "$(awk '{s += $2} END {print s}' reuse.txt)" = 1 ] ||
  fail "keep-alive: $(cat reuse.txt)"

# What the listener refuses, with JSON errors.
curl_status 404 -X POST --data-binary x "http://127.0.0.1:$port/nope"
[ "$(json_field error)" = "no such path: /nope" ] || fail "404 body: $(cat body.txt)"
curl_status 404 -X POST --data-binary x "http://127.0.0.1:$port/fhir"
curl_status 405 "http://127.0.0.1:$port/in"
grep -qi '^allow: POST, PUT' headers.txt || fail "405 without Allow: $(cat headers.txt)"
json_field error | grep -q "method GET is not allowed" || fail "405 body: $(cat body.txt)"
head -c 5000 /dev/zero | tr '\0' 'x' >big.txt
curl_status 413 -X POST --data-binary @big.txt "http://127.0.0.1:$port/in"
json_field error | grep -q "max_body_bytes (4096)" || fail "413 body: $(cat body.txt)"
head -c 4096 /dev/zero | tr '\0' 'y' >max.txt
curl_status 202 -X POST --data-binary @max.txt "http://127.0.0.1:$port/in"
# curl sends "Expect: 100-continue" for large bodies: the listener says go ahead.
head -c 3000 /dev/zero | tr '\0' 'z' >expect.txt
curl_status 202 -X POST -H 'Expect: 100-continue' --data-binary @expect.txt "http://127.0.0.1:$port/in"

python3 "$PEER" malformed "$port" || fail "malformed requests"
python3 "$PEER" pipelined "$port" /in 10 || fail "pipelined requests"
python3 "$PEER" slow "$port" /in || fail "slow clients"
kill -0 "$FERRY_PID" || fail "ferry died"

grep -q "refused: 404 no such path" ferry.log || fail "404 not logged"
grep -q "127.0.0.1:[0-9]* refused: 400 malformed request" ferry.log || fail "400 not logged with the peer"
grep -q "closed: request headers not complete within header_timeout_ms" ferry.log || fail "stuck client not logged"
grep -q "closed: request not complete within request_timeout_ms" ferry.log || fail "dribbling client not logged"
# Nothing refused was stored: 7 single curls + 3 kept alive + max + expect + chunked + 10 pipelined + 2 fast.
stored=$("$FERRY" messages list --channel in --json --limit 1000 -c cfg.json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
[ "$stored" = 25 ] || fail "stored $stored messages, expected 25"
wait_lines out.txt 25 || fail "delivered $(lines_in out.txt) of 25"
stop_ferry
grep -q "level=error" ferry.log && fail "errors logged"
echo "http listener: ok"
