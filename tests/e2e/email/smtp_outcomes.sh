# email.smtp outcomes against real aiosmtpd servers: a 451 is retried and
# the mail then sent (two attempts in `ferry messages show`); a 554 fails the
# message with the server's reply stored as the response; recipients the
# server refuses are reported exactly (sent to the others, or nothing sent
# with all_recipients_required); all refused with 5xx fails, with 4xx
# retries; a server that is down or silent is retried; stopping Ferry
# interrupts a transfer that waits for a silent server.
source "$FERRY_SOURCE_DIR/tests/e2e/lib.sh"
source "$FERRY_SOURCE_DIR/tests/e2e/email/helpers.sh"
cd "$WORK"

start_smtp later --data-replies 451
later_port=$SMTP_PORT
start_smtp policy --data-replies 554
policy_port=$SMTP_PORT
start_smtp rcpt --reject-rcpt bad@example.org=550 --reject-rcpt busy@example.org=450
rcpt_port=$SMTP_PORT
down_port=$(free_port)
start_silent silent
silent_port=$SILENT_PORT

channel() {  # <id> <port> <to> [extra smtp config members]
  cat <<JSON
  {"id": "$1", "source": {"type": "testkit.counter", "config": {"count": 1, "prefix": "body of $1 "}},
   "destinations": [{"id": "mail", "type": "email.smtp", "retry": {"backoff": "fixed", "initial_ms": 300},
     "config": {"host": "127.0.0.1", "port": $2, "security": "none", "from": "ferry@example.org", "to": "$3",
                "subject": "\${channel}"${4:+, $4}}}]}
JSON
}
cat >cfg.json <<JSON
{"engine": $(engine_json),
 "plugins": ["testkit", "email"],
 "channels": [
$(channel later $later_port clinic@example.org),
$(channel policy $policy_port clinic@example.org),
$(channel partial $rcpt_port "good@example.org, bad@example.org"),
$(channel strict $rcpt_port "good@example.org, bad@example.org" '"all_recipients_required": true'),
$(channel all-bad $rcpt_port "bad@example.org"),
$(channel all-busy $rcpt_port "busy@example.org"),
$(channel down $down_port clinic@example.org),
$(channel mute $silent_port clinic@example.org '"command_timeout_ms": 1000')
 ]}
JSON
start_ferry cfg.json

id_of() { "$FERRY" messages list --channel "$1" -c cfg.json | awk 'NR==2 {print $1}'; }
delivery() { show_json "$(id_of "$1")" "m[\"destinations\"][0][\"$2\"]"; }
status_is() { [ "$(delivery "$1" status)" = "$2" ]; }
retried() { [ "$(delivery "$1" attempts)" -ge 2 ] && status_is "$1" queued; }

# 451 then 250: sent on the second attempt.
wait_for 20 mail_count_is later 1 || fail "451 then 250: the mail did not arrive"
wait_for 10 status_is later sent || fail "451 then 250: not marked sent"
"$FERRY" messages show "$(id_of later)" -c cfg.json >later.txt
grep -q "destination mail: sent, 2 attempt(s)" later.txt || fail "451 then 250: not two attempts: $(cat later.txt)"
grep -q "250 2.0.0 queued as test-0001" later.txt || fail "451 then 250: the server's reply is not the response"
grep -q "later.*attempt 1 failed, will retry: message rejected: 451 4.3.0" ferry.log || fail "the 451 was not logged as a retry"

# 554: failed at once, the server's reply stored.
wait_for 20 status_is policy error || fail "554: not failed"
[ "$(delivery policy attempts)" -eq 1 ] || fail "554: retried"
[ "$(delivery policy response)" = "554 5.7.1 rejected by policy" ] || fail "554: response is '$(delivery policy response)'"
delivery policy last_error | grep -q "message rejected: 554 5.7.1 rejected by policy" || fail "554: error text"
[ "$(mails_in policy)" -eq 0 ] || fail "554: a mail was kept"

# One of two recipients refused: sent to the other, the refusal reported.
wait_for 20 status_is partial sent || fail "partial: not sent"
delivery partial response | grep -q "^bad@example.org: 550 5.1.1 mailbox unavailable" || fail "partial: refused recipient not in the response"
grep -q "partial.*sent to 1 of 2 recipients; rejected: bad@example.org: 550 5.1.1" ferry.log || fail "partial: no warning"
"$PY" -c "import json, sys; e = json.load(open('rcpt/0001.json')); sys.exit(e['rcpt_tos'] != ['good@example.org'])" ||
  fail "partial: envelope is $(cat rcpt/0001.json)"

# Every recipient required: nothing sent, failed for the 550.
wait_for 20 status_is strict error || fail "strict: not failed"
delivery strict last_error | grep -q "recipient rejected, nothing sent: bad@example.org: 550" || fail "strict: error text"
wait_for 20 status_is all-bad error || fail "all-bad: not failed"
delivery all-bad last_error | grep -q "all recipients rejected: bad@example.org: 550" || fail "all-bad: error text"
wait_for 20 retried all-busy || fail "all-busy (450): not retried"
[ "$(mails_in rcpt)" -eq 1 ] || fail "recipients: $(mails_in rcpt) mails, expected only the partial one"

# A server that is down: retried with libcurl's reason.
wait_for 20 retried down || fail "down: not retried"
delivery down last_error | grep -qi "connect" || fail "down: error is '$(delivery down last_error)'"
# A server that never answers: the command timeout ends the attempt.
wait_for 20 retried mute || fail "mute: not retried"
delivery mute last_error | grep -qi "timeout\|timed out" || fail "mute: error is '$(delivery mute last_error)'"
stop_ferry

# Stopping while a transfer waits for a silent server (60 s command
# timeout): after engine.shutdown_timeout_ms (5 s here) the destination's
# stop() interrupts the transfer, and the message stays queued.
cat >stop.json <<JSON
{"engine": $(engine_json),
 "plugins": ["testkit", "email"],
 "channels": [$(channel hang $silent_port clinic@example.org '"command_timeout_ms": 60000, "connect_timeout_ms": 60000')]}
JSON
before=$(lines_in silent.accepted)
start_ferry stop.json
wait_for 20 bash -c "[ \$(wc -l < '$WORK/silent.accepted') -gt $before ]" || fail "hang: no connection"
sleep 0.5
started=$SECONDS
stop_ferry
[ $((SECONDS - started)) -le 9 ] || fail "stopping took $((SECONDS - started)) s with a transfer in progress"
id=$("$FERRY" messages list --channel hang -c stop.json | awk 'NR==2 {print $1}')
"$FERRY" messages show "$id" --json -c stop.json | "$PY" -c '
import json, sys
d = json.load(sys.stdin)["destinations"][0]
sys.exit(not (d["status"] == "queued" and "destination stopping" in d.get("last_error", "")))' ||
  fail "hang: $("$FERRY" messages show "$id" -c stop.json)"
echo "email smtp outcomes: ok"
