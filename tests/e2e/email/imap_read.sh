# email.imap against a real, throwaway dovecot: mails delivered by IMAP
# APPEND (python3 imaplib) are picked up over implicit TLS, STARTTLS and a
# plain connection; as whole mails, text bodies or matching attachments;
# with their metadata; and only then flagged seen, moved or deleted. A mail
# the channel rejects goes to error_folder, a mail without a matching
# attachment is flagged seen and left, and a wrong password is logged once.
source "$FERRY_SOURCE_DIR/tests/e2e/lib.sh"
source "$FERRY_SOURCE_DIR/tests/e2e/email/helpers.sh"
cd "$WORK"
make_certs
start_dovecot

"$PY" -c 'import sys; sys.stdout.buffer.write(b"%PDF-1.4\n" + bytes(range(256)) * 10)' >result.pdf
printf 'free text\n' >notes.txt
mailbox compose m1.eml --message-id "<m1@example.org>" --subject "Grüße aus Bern" --text "whole mail"
mailbox compose m2.eml --message-id "<m2@example.org>" --subject "Befund" --text "see attached" \
  --attach result.pdf=result.pdf:application/pdf --attach notes.txt=notes.txt
mailbox compose m3.eml --message-id "<m3@example.org>" --subject "HL7 in the body" \
  --text "$(printf 'MSH|^~\\&|LIS|LAB|EHR|CLINIC|20261126||ORU^R01|B1|P|2.5\nPID|1||777')"
mailbox compose m4.eml --message-id "<m4@example.org>" --subject "REJECTME please" --text "x"
mailbox compose m5.eml --message-id "<m5@example.org>" --subject "no pdf here" --text "x" --attach notes.txt=notes.txt
mailbox append Whole m1.eml
mailbox append Attach m2.eml m5.eml
mailbox append Body m3.eml
mailbox append Reject m4.eml

source_json() {  # <folder> <security> <port> [extra members]
  printf '{"type": "email.imap", "config": {"host": "localhost", "port": %s, "security": "%s", "tls_ca": "%s", "username": "alice", "password": "${env:IMAP_PASSWORD}", "folder": "%s", "poll_interval_ms": 200%s}' \
    "$3" "$2" "$CERTS/ca.pem" "$1" "${4:+, $4}"
}
sink() { printf '[{"id": "sink", "type": "testkit.sink", "config": {"path": "%s"}}]' "$WORK/$1.txt"; }
cat >cfg.json <<JSON
{"engine": $(engine_json),
 "plugins": ["testkit", "file", "email"],
 "channels": [
  {"id": "whole", "source": $(source_json Whole tls "$IMAPS_PORT")}, "destinations": $(sink whole)},
  {"id": "atts", "source": $(source_json Attach starttls "$IMAP_PORT" '"mode": "attachments", "attachment_pattern": "*.PDF", "after": "move", "move_to": "Processed"')},
   "destinations": [{"id": "files", "type": "file.writer", "config": {"directory": "$WORK/atts-out", "filename": "\${meta:email.attachment_name}"}}]},
  {"id": "bodies", "source": $(source_json Body none "$IMAP_PORT" '"auth_without_tls": true, "mode": "body", "content_type": "application/hl7-v2", "after": "delete", "own_timer": false')
                       , "schedule": {"type": "testkit.every", "config": {"interval_ms": 300}}},
   "destinations": $(sink bodies)},
  {"id": "rejects", "source": $(source_json Reject tls "$IMAPS_PORT" '"error_folder": "Failed"')},
   "transformers": [{"type": "testkit.tag", "config": {"fail_if": "REJECTME"}}],
   "response": {"when": "transformed"},
   "destinations": $(sink rejects)}]}
JSON
export IMAP_PASSWORD=secret
start_ferry cfg.json

# state_check <folder> <python condition over s, the folder's mails>
state_check() { mailbox state "$1" | "$PY" -c "import json, sys; s = json.load(sys.stdin); sys.exit(0 if ($2) else 1)"; }
id_of() { "$FERRY" messages list --channel "$1" -c cfg.json | awk 'NR==2 {print $1}'; }

# Whole mail over implicit TLS, flagged seen after it was stored.
wait_lines whole.txt 1 || fail "whole: the mail was not read"
wait_for 10 state_check Whole 'len(s) == 1 and "\\Seen" in s[0]["flags"]' || fail "whole: not flagged seen: $(mailbox state Whole)"
id=$(id_of whole)
[ "$(show_json "$id" 'm["metadata"]["email.subject"]')" = "Grüße aus Bern" ] || fail "whole: subject metadata"
[ "$(show_json "$id" 'm["metadata"]["email.message_id"]')" = "<m1@example.org>" ] || fail "whole: message-id metadata"
[ "$(show_json "$id" 'm["metadata"]["dedupe_key"]')" = "<m1@example.org>" ] || fail "whole: dedupe_key"
[ "$(show_json "$id" 'm["metadata"]["email.from"]')" = "Lab <lab@example.org>" ] || fail "whole: from metadata"
[ "$(show_json "$id" 'm["content_type"]')" = "message/rfc822" ] || fail "whole: content type"
"$FERRY" messages show "$id" --json -c cfg.json | "$PY" -c '
import json, sys
m = json.load(sys.stdin)
sent = open("m1.eml", "rb").read().replace(b"\n", b"\r\n").decode()
sys.exit(m["raw"] != sent)' || fail "whole: content is not the mail as sent"

# Attachments over STARTTLS: only the PDF, then the mail is moved; the mail
# without a PDF is flagged seen and stays.
wait_for 20 test -f atts-out/result.pdf || fail "atts: the PDF was not read"
wait_for 10 state_check Processed 'len(s) == 1 and s[0]["message_id"] == "<m2@example.org>" and "\\Seen" in s[0]["flags"]' ||
  fail "atts: not moved to Processed: $(mailbox state Processed)"
wait_for 10 state_check Attach 'len(s) == 1 and s[0]["message_id"] == "<m5@example.org>" and "\\Seen" in s[0]["flags"]' ||
  fail "atts: the mail without a PDF: $(mailbox state Attach)"
grep -q "not taken: no attachment name matches '\*.PDF'; flagged seen" ferry.log || fail "atts: no log for the mail without a PDF"
id=$(id_of atts)
[ "$(show_json "$id" 'm["metadata"]["email.attachment_name"]')" = result.pdf ] || fail "atts: attachment name"
[ "$(show_json "$id" 'm["metadata"]["dedupe_key"]')" = "<m2@example.org>#attachment-1" ] || fail "atts: dedupe_key"
[ "$(show_json "$id" 'm["content_type"]')" = application/pdf ] || fail "atts: content type"
cmp -s atts-out/result.pdf result.pdf || fail "atts: PDF bytes differ"
[ "$(ls atts-out | wc -l)" -eq 1 ] || fail "atts: $(ls atts-out) written, expected only result.pdf"

# Body over a plain connection, read when the schedule polls, then deleted.
wait_lines bodies.txt 1 || fail "bodies: the body was not read (schedule poll)"
wait_for 10 state_check Body 'len(s) == 0' || fail "bodies: not deleted: $(mailbox state Body)"
id=$(id_of bodies)
[ "$(show_json "$id" 'm["content_type"]')" = application/hl7-v2 ] || fail "bodies: content type"
[ "$(show_json "$id" 'm["raw"].splitlines()[1]')" = "PID|1||777" ] || fail "bodies: content is $(show_json "$id" 'repr(m["raw"])')"
grep -q "own_timer is false" ferry.log || fail "bodies: own_timer false not reported"

# Rejected by the channel: stored with its error, then moved to error_folder.
wait_for 20 state_check Failed 'len(s) == 1 and s[0]["message_id"] == "<m4@example.org>"' ||
  fail "rejects: not moved to Failed: $(mailbox state Failed)"
state_check Reject 'len(s) == 0' || fail "rejects: still in Reject"
[ "$(show_json "$(id_of rejects)" 'm["status"]')" = error ] || fail "rejects: not stored as error"
[ "$(lines_in rejects.txt)" -eq 0 ] || fail "rejects: delivered"

# The server goes away and comes back: the reader says so once, reconnects
# and reads what arrives next.
stop_dovecot
wait_for 20 grep -q "channel=whole.*IMAP connection to imaps://alice@localhost:$IMAPS_PORT failed" ferry.log ||
  fail "the lost connection was not reported"
launch_dovecot
mailbox compose m6.eml --message-id "<m6@example.org>" --subject "after the restart" --text "again"
mailbox append Whole m6.eml
wait_lines whole.txt 2 || fail "nothing read after the server came back"
wait_for 10 grep -q "channel=whole.*connected to imaps://alice@localhost:$IMAPS_PORT again" ferry.log || fail "the reconnect was not reported"
wait_for 10 state_check Whole 'len(s) == 2 and all("\\Seen" in m["flags"] for m in s)' || fail "after restart: $(mailbox state Whole)"

stop_ferry
# The one error expected is the host's line about the rejected message.
grep "level=error" ferry.log | grep -v "failed in transformer 0 (testkit.tag): content contains 'REJECTME'" &&
  fail "errors in the log"

# A wrong password: logged once, however many polls, and nothing read. (Run
# last and alone: dovecot slows down every login from an address that just
# failed one.)
mailbox append INBOX m1.eml
cat >wrong.json <<JSON
{"engine": $(engine_json),
 "plugins": ["testkit", "email"],
 "channels": [
  {"id": "wrong", "source": {"type": "email.imap", "config": {"host": "127.0.0.1", "port": $IMAPS_PORT, "security": "tls",
      "tls_ca": "$CERTS/ca.pem", "username": "alice", "password": "nope", "poll_interval_ms": 100}},
   "destinations": $(sink wrong)}]}
JSON
start_ferry wrong.json
wait_for 20 grep -q "channel=wrong.*cannot connect to imaps://alice@127.0.0.1:$IMAPS_PORT: Login denied" ferry.log ||
  fail "wrong password not reported"
wait_for 20 grep -q "level=debug.*channel=wrong.*cannot connect" ferry.log || fail "wrong password: not tried again"
[ "$(grep -c "level=warn.*channel=wrong.*cannot connect" ferry.log)" -eq 1 ] || fail "wrong password logged more than once"
stop_ferry
[ "$(lines_in wrong.txt)" -eq 0 ] || fail "read with a wrong password"
echo "email imap read: ok"
