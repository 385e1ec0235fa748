# email.imap marks a mail only after its message is committed, and a crash
# in between stores nothing twice. The channel answers the reader only when
# the message is delivered ("response.when": "delivered"), and its
# mllp.sender points at a port where nobody listens: the message is stored,
# the emit never completes, so the mail must stay unseen. Ferry is killed
# with SIGKILL, restarted with a working destination: the stored message is
# delivered once, the mail is read again, recognised by its Message-ID
# (dedupe_key) as the message already stored, and only then flagged seen.
source "$FERRY_SOURCE_DIR/tests/e2e/lib.sh"
source "$FERRY_SOURCE_DIR/tests/e2e/email/helpers.sh"
cd "$WORK"
make_certs
start_dovecot

mailbox compose lab.eml --message-id "<oru-1@lab.example.org>" --subject "ORU" \
  --text "$(printf 'MSH|^~\\&|LIS|LAB|EHR|CLINIC|20261126||ORU^R01|C1|P|2.5\nPID|1||4711')"
mailbox append INBOX lab.eml

config() {  # <destination json>
  cat <<JSON
{"engine": $(engine_json),
 "plugins": ["email", "mllp", "file"],
 "channels": [
  {"id": "lab",
   "source": {"type": "email.imap", "config": {"host": "localhost", "port": $IMAPS_PORT, "security": "tls",
      "tls_ca": "$CERTS/ca.pem", "username": "alice", "password": "secret", "poll_interval_ms": 200,
      "mode": "body", "content_type": "application/hl7-v2"}},
   "response": {"when": "delivered", "timeout_ms": 600000},
   "destinations": [$1]}]}
JSON
}
down_port=$(free_port)
config "{\"id\": \"his\", \"type\": \"mllp.sender\", \"config\": {\"host\": \"127.0.0.1\", \"port\": $down_port, \"connect_timeout_ms\": 500},
         \"retry\": {\"backoff\": \"fixed\", \"initial_ms\": 200}}" >cfg.json
start_ferry cfg.json

unseen() { mailbox state INBOX | "$PY" -c 'import json, sys; s = json.load(sys.stdin); sys.exit(not (len(s) == 1 and "\\Seen" not in s[0]["flags"]))'; }
seen() { mailbox state INBOX | "$PY" -c 'import json, sys; s = json.load(sys.stdin); sys.exit(not (len(s) == 1 and "\\Seen" in s[0]["flags"]))'; }
stored() { "$FERRY" messages list --channel lab -c cfg.json | tail -n +2 | wc -l | tr -d ' '; }
attempts() { show_json 1 'm["destinations"][0]["attempts"]'; }

wait_for 20 bash -c "[ \"\$(\"$FERRY\" messages list --channel lab -c cfg.json | tail -n +2 | wc -l)\" -ge 1 ]" || fail "the mail was not stored"
wait_for 20 bash -c "[ \$(\"$FERRY\" messages show 1 --json -c cfg.json | \"$PY\" -c 'import json,sys; print(json.load(sys.stdin)[\"destinations\"][0][\"attempts\"])') -ge 3 ]" ||
  fail "the delivery is not being retried"
# Several polls later: still one message, and the mail still unseen.
sleep 1
[ "$(stored)" -eq 1 ] || fail "the mail was stored $(stored) times while in flight"
unseen || fail "the mail was marked before its message was delivered: $(mailbox state INBOX)"

kill -9 "$FERRY_PID"
wait "$FERRY_PID" 2>/dev/null || true
FERRY_PID=""
unseen || fail "the mail is not unseen after the crash"

# Restart with a working destination of the same id.
config "{\"id\": \"his\", \"type\": \"file.writer\", \"config\": {\"directory\": \"$WORK/out\", \"filename\": \"\${message_id}.hl7\"}}" >cfg.json
mv ferry.log ferry-1.log
start_ferry cfg.json
wait_for 20 seen || fail "the mail was not marked after the restart: $(mailbox state INBOX)"
grep -q "duplicate of message 1" ferry.log || fail "the mail read again was not recognised as a duplicate"
[ "$(stored)" -eq 1 ] || fail "stored $(stored) times, expected exactly once"
wait_for 20 test -f out/1.hl7 || fail "the stored message was not delivered after the restart"
grep -q "^PID|1||4711" out/1.hl7 || fail "delivered content: $(cat out/1.hl7)"
[ "$(ls out | wc -l)" -eq 1 ] || fail "delivered more than once: $(ls out)"
[ "$(show_json 1 'm["metadata"]["dedupe_key"]')" = "<oru-1@lab.example.org>" ] || fail "dedupe_key"
stop_ferry
echo "email imap crash: ok"
