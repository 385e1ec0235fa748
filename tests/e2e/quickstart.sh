# The README's quick start with the shipped config/ferry.json, unchanged: run
# from a scratch folder (its relative paths land there), send an HL7 message
# with mllp_send to 127.0.0.1:2575 and drop one in var/inbox; find both in
# var/outbox and in `ferry messages`.
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
# A file is written before its delivery's "sent" is committed: wait for that.
listed() { "$FERRY" messages "$@" -c "$FERRY_SOURCE_DIR/config/ferry.json"; }
shows() { local pattern=$1; shift; listed "$@" | grep -q "$pattern"; }  # shows <pattern> <messages args...>
wait_for 10 shows "inbox-to-outbox .*sent .*filename=msg.hl7" list || fail "ferry messages does not show it: $(listed list)"
# MLLP on 127.0.0.1:2575, acknowledged once stored.
printf '\x0bMSH|^~\\&|ADT|HOSP|EHR|HOSP|20261126120000||ADT^A01|MSG0002|P|2.5\rPID|1||12345^^^HOSP||DOE^JANE\r\x1c\r' >"$WORK/mllp.txt"
mllp_send -p 2575 -f "$WORK/mllp.txt" 127.0.0.1 >"$WORK/ack.txt" 2>&1 || fail "mllp_send: $(cat "$WORK/ack.txt")"
tr -d '\013\034' <"$WORK/ack.txt" | tr '\r' '\n' | grep -qx "MSA|AA|MSG0002" || fail "no AA: $(cat "$WORK/ack.txt")"
wait_for 20 bash -c 'ls var/outbox/MSG0002-*.hl7 >/dev/null 2>&1' || fail "the MLLP message did not reach var/outbox"
wait_for 10 shows "hl7-in .*sent" search --meta control_id=MSG0002 ||
  fail "ferry messages does not find MSG0002 as sent: $(listed search --meta control_id=MSG0002)"
stop_ferry
echo "quickstart: ok"
