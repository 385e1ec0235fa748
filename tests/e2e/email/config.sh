# Config mistakes in email.smtp and email.imap stop `ferry run` at start
# with an error that names the key (the log line escapes quotes as \");
# `ferry plugins` lists every key.
source "$FERRY_SOURCE_DIR/tests/e2e/lib.sh"
source "$FERRY_SOURCE_DIR/tests/e2e/email/helpers.sh"
cd "$WORK"

# refused <expected text> <component json>: a config with that component
# (as the destination or the source) must not start, and must say why.
refused() {
  local expected=$1 component=$2 source destination
  if [[ $component == *email.imap* ]]; then
    source=$component
    destination='{"id": "d", "type": "testkit.sink", "config": {"path": "x.txt"}}'
  else
    source='{"type": "testkit.counter", "config": {"count": 0}}'
    destination=$component
  fi
  cat >bad.json <<JSON
{"engine": $(engine_json), "plugins": ["testkit", "email"],
 "channels": [{"id": "c", "source": $source, "destinations": [$destination]}]}
JSON
  local status=0
  timeout 20 "$FERRY" run -c bad.json >bad.log 2>&1 || status=$?
  [ "$status" -eq 1 ] || fail "started (status $status) although: $expected"
  grep -qF -- "$expected" bad.log || fail "expected '$expected', got: $(cat bad.log)"
}

smtp() { printf '{"id": "m", "type": "email.smtp", "config": {"host": "127.0.0.1", "from": "a@example.org", %s}}' "$1"; }
imap() { printf '{"type": "email.imap", "config": {"host": "127.0.0.1", "username": "u", %s}}' "$1"; }

refused "to, cc and bcc are all empty: set at least one" "$(smtp '"subject": "x"')"
refused "subject" "$(smtp '"to": "b@example.org", "subject": "${PID-"')"
refused "attachments/0/nme: unknown key (known: content, name, type, decode, required)" \
  "$(smtp '"to": "b@example.org", "attachments": [{"nme": "x"}]')"
refused "attachments/0/name: required key is missing" "$(smtp '"to": "b@example.org", "attachments": [{"type": "application/pdf"}]')"
refused "attachments/0/type: 'pdf' is not a MIME type" "$(smtp '"to": "b@example.org", "attachments": [{"name": "a", "type": "pdf"}]')"
refused 'attachments/0/decode: expected \"none\" or \"base64\"' \
  "$(smtp '"to": "b@example.org", "attachments": [{"name": "a", "decode": "hex"}]')"
refused "headers/Bcc: not allowed" "$(smtp '"to": "b@example.org", "headers": {"Bcc": "x@example.org"}')"
refused "security 'none' may send the password unencrypted" \
  "$(smtp '"to": "b@example.org", "security": "none", "username": "u", "password": "p"')"
refused "host: '127.0.0.1/x' is not a host name" \
  '{"id": "m", "type": "email.smtp", "config": {"host": "127.0.0.1/x", "from": "a@example.org", "to": "b@example.org"}}'
refused "message_id_domain: 'not a domain' is not a domain name" "$(smtp '"to": "b@example.org", "message_id_domain": "not a domain"')"
refused 'after is \"move\" but move_to is empty' "$(imap '"after": "move"')"
refused "move_to must differ from folder ('INBOX')" "$(imap '"after": "move", "move_to": "INBOX"')"
refused "security 'starttls_optional' may send the password unencrypted" "$(imap '"security": "starttls_optional"')"
refused "search: must not contain CR, LF or NUL" "$(imap '"search": "ALL\r\nA1 DELETE INBOX"')"

# Criteria that find seen mail again are allowed, with a warning at start.
port=$(free_port)
cat >warn.json <<JSON
{"engine": $(engine_json), "plugins": ["testkit", "email"],
 "channels": [{"id": "c", "source": $(imap "\"port\": $port, \"search\": \"ALL\", \"tls_verify\": false"),
   "destinations": [{"id": "d", "type": "testkit.sink", "config": {"path": "x.txt"}}]}]}
JSON
start_ferry warn.json
grep -q "search 'ALL' does not leave out seen mail: mails the reader flags seen (after: seen) are read again at every poll; add UNSEEN" ferry.log ||
  fail "no warning for search ALL"
stop_ferry

"$FERRY" plugins --plugin-dir "$FERRY_PLUGIN_DIR" >plugins.txt
for key in host port security tls_verify tls_ca username password auth from to cc bcc reply_to subject text html \
  attachments headers all_recipients_required folder search poll_interval_ms own_timer mode attachment_pattern after \
  move_to error_folder max_mail_bytes max_per_poll; do
  grep -q "^    $key  " plugins.txt || fail "ferry plugins does not list $key"
done
echo "email config: ok"
