# email.smtp over TLS, against real aiosmtpd servers with a test CA made by
# the openssl CLI: STARTTLS (required) with AUTH PLAIN and AUTH LOGIN and the
# password from ${env:...}; a wrong password is retried, never sent; a
# server certificate from another CA is refused; implicit TLS (smtps) works;
# security "starttls" refuses a server that offers no STARTTLS.
source "$FERRY_SOURCE_DIR/tests/e2e/lib.sh"
source "$FERRY_SOURCE_DIR/tests/e2e/email/helpers.sh"
cd "$WORK"
make_certs

start_smtp starttls --starttls "$CERTS/server.pem" "$CERTS/server.key" --require-starttls --auth alice:secret
starttls_port=$SMTP_PORT
start_smtp smtps --starttls "$CERTS/server.pem" "$CERTS/server.key" --implicit-tls
smtps_port=$SMTP_PORT
start_smtp plain
plain_port=$SMTP_PORT
printf 'wrong\n' >wrong-password

# channel <id> <smtp config members>: one message from testkit.counter, its
# subject the channel id, retried every 200 ms.
channel() {
  cat <<JSON
  {"id": "$1", "source": {"type": "testkit.counter", "config": {"count": 1, "prefix": "body of $1 "}},
   "destinations": [{"id": "mail", "type": "email.smtp", "retry": {"backoff": "fixed", "initial_ms": 200},
     "config": {"host": "localhost", "from": "ferry@example.org", "to": "clinic@example.org",
                "subject": "\${channel}", "connect_timeout_ms": 5000, $2}}]}
JSON
}
cat >cfg.json <<JSON
{"engine": $(engine_json),
 "plugins": ["testkit", "email"],
 "channels": [
$(channel plain-auth "\"port\": $starttls_port, \"security\": \"starttls\", \"tls_ca\": \"$CERTS/ca.pem\", \"username\": \"alice\", \"password\": \"\${env:SMTP_PASSWORD}\", \"auth\": \"plain\""),
$(channel login-auth "\"port\": $starttls_port, \"tls_ca\": \"$CERTS/ca.pem\", \"username\": \"alice\", \"password\": \"\${env:SMTP_PASSWORD}\", \"auth\": \"login\""),
$(channel bad-password "\"port\": $starttls_port, \"tls_ca\": \"$CERTS/ca.pem\", \"username\": \"alice\", \"password\": \"\${file:wrong-password}\""),
$(channel other-ca "\"port\": $starttls_port, \"tls_ca\": \"$CERTS/otherca.pem\", \"username\": \"alice\", \"password\": \"\${env:SMTP_PASSWORD}\""),
$(channel implicit "\"port\": $smtps_port, \"security\": \"tls\", \"tls_ca\": \"$CERTS/ca.pem\""),
$(channel no-starttls "\"port\": $plain_port, \"security\": \"starttls\", \"tls_ca\": \"$CERTS/ca.pem\"")
 ]}
JSON
export SMTP_PASSWORD=secret
start_ferry cfg.json

wait_for 20 mail_count_is starttls 2 || fail "STARTTLS + AUTH: $(mails_in starttls) of 2 mails"
wait_for 20 mail_count_is smtps 1 || fail "implicit TLS: no mail"
"$PY" - "$WORK/starttls" "$WORK/smtps" <<'PY' || fail "TLS mails are not right"
import email, email.policy, glob, json, sys
seen = {}
for d in sys.argv[1:]:
    for path in sorted(glob.glob(d + "/*.eml")):
        env = json.load(open(path[:-4] + ".json"))
        m = email.message_from_bytes(open(path, "rb").read(), policy=email.policy.default)
        seen[m["Subject"]] = env
        assert env["tls"], f"{m['Subject']} arrived without TLS"
assert set(seen) == {"plain-auth", "login-auth", "implicit"}, seen.keys()
assert seen["plain-auth"]["login"] == "alice" and seen["login-auth"]["login"] == "alice", seen
PY

# The wrong password, the wrong CA and the missing STARTTLS keep retrying.
wait_for 20 grep -q "bad-password.*authentication failed: 535" ferry.log || fail "no AUTH failure was logged"
wait_for 20 grep -q "other-ca.*SSL certificate problem" ferry.log || fail "the untrusted certificate was not refused"
wait_for 20 grep -qi "no-starttls.*STARTTLS" ferry.log || fail "a server without STARTTLS was not refused"
for ch in bad-password other-ca no-starttls; do
  id=$("$FERRY" messages list --channel "$ch" -c cfg.json | awk 'NR==2 {print $1}')
  [ -n "$id" ] || fail "$ch: no message stored"
  wait_for 10 bash -c "[ \$(\"$FERRY\" messages show $id --json -c cfg.json | \"$PY\" -c 'import json,sys; print(json.load(sys.stdin)[\"destinations\"][0][\"attempts\"])') -ge 2 ]" ||
    fail "$ch: not retried"
  [ "$(show_json "$id" 'm["destinations"][0]["status"]')" = queued ] || fail "$ch: not kept for retry"
done
show_json "$(("$FERRY" messages list --channel bad-password -c cfg.json) | awk 'NR==2 {print $1}')" \
  'm["destinations"][0]["last_error"]' | grep -q "authentication failed: 535" || fail "the AUTH failure is not the delivery's error"
[ "$(mails_in plain)" -eq 0 ] || fail "a mail went without the required STARTTLS"
grep -q "secret" ferry.log && fail "the password appears in the log"
stop_ferry
echo "email smtp tls: ok"
