# http.sender over HTTPS to a Python ssl server that requires a client
# certificate, certificates made here by the openssl CLI: with the right CA
# and a client certificate messages arrive; with the wrong CA, or without a
# client certificate, nothing is sent and the messages stay queued with the
# TLS error; tls_verify false skips the server check (and only that).
source "$FERRY_SOURCE_DIR/tests/e2e/http_sender/lib.sh"
command -v openssl >/dev/null || fail "openssl CLI missing"
cd "$WORK"

make_ca ca
make_ca otherca
make_cert server ca "subjectAltName=DNS:localhost,IP:127.0.0.1"
make_cert client ca "extendedKeyUsage=clientAuth"
[ -s server.pem ] && [ -s client.pem ] || fail "could not make certificates"

start_peer web 0 --tls "$WORK/server.pem" "$WORK/server.key" --client-ca "$WORK/ca.pem"
PORT=$(cat web.port)
channel() {  # <id> <extra sender config>
  cat <<JSON
  {"id": "$1", "source": {"type": "testkit.counter", "config": {"count": 2, "interval_ms": 10, "prefix": "$1-"}},
   "destinations": [{"id": "api", "type": "http.sender",
     "config": {"url": "https://localhost:$PORT/$1", $2},
     "retry": {"backoff": "fixed", "initial_ms": 200, "jitter": 0}}]}
JSON
}
MTLS="\"tls_certificate\": \"$WORK/client.pem\", \"tls_key\": \"$WORK/client.key\""
cat >cfg.json <<JSON
{"engine": {"plugin_dirs": ["$FERRY_PLUGIN_DIR", "$FERRY_TEST_PLUGIN_DIR"], "data_dir": "$WORK/var"},
 "plugins": ["http", "testkit"],
 "channels": [
$(channel ok "\"tls_ca\": \"$WORK/ca.pem\", $MTLS"),
$(channel wrongca "\"tls_ca\": \"$WORK/otherca.pem\", $MTLS"),
$(channel nocert "\"tls_ca\": \"$WORK/ca.pem\""),
$(channel insecure "\"tls_ca\": \"$WORK/otherca.pem\", \"tls_verify\": false, $MTLS")]}
JSON
start_ferry cfg.json info
arrived() { python3 -c 'import json,sys; sys.exit(sorted(json.loads(l)["path"] for l in open(sys.argv[1])) != sys.argv[2:])' \
  web.jsonl /insecure /insecure /ok /ok; }
wait_for 20 arrived || fail "expected 2 requests each on /ok and /insecure: $(cat web.jsonl 2>/dev/null)"
wait_for 10 grep -q 'channel=wrongca .*will retry: SSL certificate problem' ferry.log ||
  fail "wrong CA: no certificate error"
wait_for 10 grep -q 'channel=nocert .*will retry: ' ferry.log || fail "no client certificate: no retry"
sleep 1  # several more attempts of the refused channels
stop_ferry
arrived || fail "requests on other paths: $(cat web.jsonl)"

"$FERRY" messages list --json -c cfg.json | python3 -c '
import json, sys
by = {}
for r in json.load(sys.stdin):
    by.setdefault(r["channel"], []).append(r["status"])
assert by["ok"] == ["sent", "sent"] and by["insecure"] == ["sent", "sent"], by
assert by["wrongca"] == ["queued", "queued"] and by["nocert"] == ["queued", "queued"], by
' || fail "stored statuses: $("$FERRY" messages list -c cfg.json)"
echo "http sender tls: ok"
