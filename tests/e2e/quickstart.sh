# The README's quick start with the shipped config/ferry.json, unchanged: run
# from a scratch folder (its relative paths land there), drop an HL7 file in
# var/inbox, find it in var/outbox and in `ferry messages`.
source "$FERRY_SOURCE_DIR/tests/e2e/lib.sh"
cd "$WORK"
"$FERRY" check -c "$FERRY_SOURCE_DIR/config/ferry.json" >/dev/null || fail "the shipped config does not check"
start_ferry "$FERRY_SOURCE_DIR/config/ferry.json" info
mkdir -p var/inbox
printf 'MSH|^~\\&|LAB|HOSP|EHR|HOSP|20261126120000||ORU^R01|MSG0001|P|2.5\rPID|1||12345\r' >"$WORK/msg.hl7"
mv "$WORK/msg.hl7" var/inbox/
wait_for 20 test -f var/outbox/msg.hl7 || fail "the message did not reach var/outbox"
wait_for 20 test -f var/done/msg.hl7 || fail "the original was not moved to var/done"
cmp -s var/outbox/msg.hl7 var/done/msg.hl7 || fail "outbox content differs from the input"
"$FERRY" messages list -c "$FERRY_SOURCE_DIR/config/ferry.json" | grep -q "inbox-to-outbox .*sent .*filename=msg.hl7" ||
  fail "ferry messages does not show it: $("$FERRY" messages list -c "$FERRY_SOURCE_DIR/config/ferry.json")"
stop_ferry
echo "quickstart: ok"
