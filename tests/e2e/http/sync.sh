# http.listener with response "sync": the client gets what the channel
# answers. An HL7 v2 message goes through hl7.to_json and http.sender to a
# real echo server, and the client gets the transformed message back with the
# echo server's status (201) and content type; through mllp.sender to an MLLP
# listener it gets the destination's ACK. Filtered, failed, not-stored and
# too-slow outcomes get their statuses, and never a 2xx for what was not
# stored.
source "$FERRY_SOURCE_DIR/tests/e2e/lib.sh"
command -v curl >/dev/null || fail "curl missing"
cd "$WORK"
python3 "$FERRY_SOURCE_DIR/tests/e2e/http/echo.py" --port-file echo.port --delay-ms 1500 --log requests.log >echo.log 2>&1 &
ECHO_PID=$!
trap 'kill $ECHO_PID 2>/dev/null || true; cleanup' EXIT
wait_for 10 test -s echo.port || fail "echo server did not start"
echo_port=$(cat echo.port)
json=$(free_port); ack=$(free_port); mllp=$(free_port); check=$(free_port)
cat >cfg.json <<JSON
{"engine": {"plugin_dirs": ["$FERRY_PLUGIN_DIR", "$FERRY_TEST_PLUGIN_DIR"], "data_dir": "$WORK/var"},
 "plugins": ["http", "hl7", "mllp", "testkit"],
 "channels": [
   {"id": "to-json",
    "source": {"type": "http.listener", "config": {"port": $json, "path": "/hl7", "response": "sync"}},
    "transformers": [{"type": "hl7.to_json"}],
    "destinations": [{"id": "echo", "type": "http.sender", "config": {"url": "http://127.0.0.1:$echo_port/echo"},
                      "retry": {"max_attempts": 1}}],
    "response": {"when": "delivered", "from": "echo", "timeout_ms": 10000}},
   {"id": "ack",
    "source": {"type": "http.listener", "config": {"port": $ack, "path": "/hl7", "response": "sync"}},
    "destinations": [{"id": "lis", "type": "mllp.sender", "config": {"host": "127.0.0.1", "port": $mllp}}],
    "response": {"when": "delivered", "from": "lis"}},
   {"id": "lis",
    "source": {"type": "mllp.listener", "config": {"port": $mllp}},
    "destinations": [{"id": "out", "type": "testkit.sink", "config": {"path": "$WORK/lis.txt"}}]},
   {"id": "check",
    "source": {"type": "http.listener", "config": {"port": $check, "path": "/in", "response": "sync"}},
    "transformers": [{"type": "testkit.tag", "config": {"filter_if": "FILTER", "fail_if": "FAIL"}}],
    "destinations": [{"id": "out", "type": "testkit.sink", "config": {"path": "$WORK/check.txt"}}],
    "response": {"when": "transformed"}}]}
JSON
start_ferry cfg.json info

# post <expected status> <port> <path> <content type> <body>: body.txt, headers.txt
post() {
  local got
  got=$(curl -s -o body.txt -D headers.txt -w '%{http_code}' --max-time 20 -H "Content-Type: $4" \
        --data-binary "$5" "http://127.0.0.1:$2$3") || true
  [ "$got" = "$1" ] || fail "POST $3 on $2: status $got, expected $1: $(cat body.txt 2>/dev/null)"
}
hl7=$(printf 'MSH|^~\\&|LAB|HOSP|EHR|HOSP|20261126120000||ADT^A01|MSG1|P|2.5\rPID|1||12345^^^HOSP||DOE^JANE\r')

# The transformed message, as the echo server got it and returned it (201).
post 201 "$json" /hl7 application/hl7-v2 "$hl7"
grep -qi '^content-type: application/json' headers.txt || fail "echoed content type: $(cat headers.txt)"
python3 - <<'PY' || fail "echoed body is not the transformed message: $(cat body.txt)"
import json
j = json.load(open("body.txt"))
text = json.dumps(j)
assert "12345" in text and "DOE" in text and "ADT" in text, j
PY
# The echo server refuses: failed for good, the client hears why (422).
post 422 "$json" /hl7 application/hl7-v2 "${hl7/DOE^JANE/reject^me}"
python3 -c "import json; b=json.load(open('body.txt')); assert 'echo' in b['error'] and b['message_id'] > 0, b" ||
  fail "422 body: $(cat body.txt)"

# The MLLP destination's ACK is the answer.
post 200 "$ack" /hl7 application/hl7-v2 "$hl7"
grep -qi '^content-type: application/hl7-v2' headers.txt || fail "ACK content type: $(cat headers.txt)"
tr '\r' '\n' <body.txt | grep -qx 'MSA|AA|MSG1' || fail "no ACK in the answer: $(tr '\r' '\n' <body.txt)"
wait_lines lis.txt 1 || fail "the MLLP listener got nothing"

# Channel outcomes without a destination response.
post 200 "$check" /in text/plain "fine"
python3 -c "import json; b=json.load(open('body.txt')); assert list(b) == ['message_id'], b" || fail "200 body: $(cat body.txt)"
post 200 "$check" /in text/plain "FILTER me"
python3 -c "import json; b=json.load(open('body.txt')); assert \"content contains 'FILTER'\" in b['filtered'], b" ||
  fail "filtered body: $(cat body.txt)"
post 422 "$check" /in text/plain "FAIL me"
python3 -c "import json; b=json.load(open('body.txt')); assert \"content contains 'FAIL'\" in b['error'], b" ||
  fail "failed body: $(cat body.txt)"
"$FERRY" messages list --channel check --json -c cfg.json | python3 -c '
import json, sys
s = sorted(m["status"] for m in json.load(sys.stdin))
assert s == ["error", "filtered", "sent"], s' || fail "check channel store"
stop_ferry

# Backpressure and slow channels: one message in flight per channel, and a
# destination that takes 1.5 s. A second client while the first waits gets
# 503 with Retry-After (not stored); a channel slower than
# response_timeout_ms gets 504.
slow=$(free_port); hurry=$(free_port)
cat >cfg2.json <<JSON
{"engine": {"plugin_dirs": ["$FERRY_PLUGIN_DIR", "$FERRY_TEST_PLUGIN_DIR"], "data_dir": "$WORK/var2", "max_in_flight": 1},
 "plugins": ["http"],
 "channels": [
   {"id": "slow",
    "source": {"type": "http.listener", "config": {"port": $slow, "path": "/in", "retry_after_seconds": 7}},
    "destinations": [{"id": "echo", "type": "http.sender", "config": {"url": "http://127.0.0.1:$echo_port/slow"}}],
    "response": {"when": "delivered"}},
   {"id": "hurry",
    "source": {"type": "http.listener", "config": {"port": $hurry, "path": "/in", "response": "sync", "response_timeout_ms": 300}},
    "destinations": [{"id": "echo", "type": "http.sender", "config": {"url": "http://127.0.0.1:$echo_port/slow"}}],
    "response": {"when": "delivered", "from": "echo"}}]}
JSON
mv ferry.log ferry-1.log  # start_ferry waits for a line in ferry.log: not the last run's
start_ferry cfg2.json
curl -sS -o first.txt -w '%{http_code}' --max-time 20 --data-binary first "http://127.0.0.1:$slow/in" >first.code 2>first.err &
first=$!
# Once the echo server has the first message, it is in flight until answered.
wait_for 10 grep -q "^/slow b'first'" requests.log ||
  fail "the first message did not reach the echo server: curl $(cat first.code first.err 2>/dev/null) $(cat first.txt 2>/dev/null); echo server: $(tail -3 requests.log) $(tail -5 echo.log)"
post 503 "$slow" /in text/plain second
grep -qi '^retry-after: 7' headers.txt || fail "503 without Retry-After: $(cat headers.txt)"
grep -q 'message not stored' body.txt || fail "503 body: $(cat body.txt)"
wait "$first"
[ "$(cat first.code)" = 202 ] || fail "the first client got $(cat first.code): $(cat first.txt)"
post 504 "$hurry" /in text/plain late
grep -q 'response_timeout_ms' body.txt || fail "504 body: $(cat body.txt)"
grep -q "answered 504" ferry.log || fail "504 not logged"
stop_ferry
"$FERRY" messages list --channel slow --json -c cfg2.json | python3 -c '
import json, sys
m = json.load(sys.stdin)
assert len(m) == 1 and m[0]["status"] == "sent", m' || fail "the refused message was stored"
echo "http sync: ok"
