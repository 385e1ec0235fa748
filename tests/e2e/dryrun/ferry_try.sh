# `ferry try` prints what every step did: the content after each transformer
# (changed or not), metadata changes, filter decisions with their reasons,
# errors, and what each destination would receive. Exit 0 whatever the
# transformers decided; 2 when the config, channel or message cannot be loaded.
source "$FERRY_SOURCE_DIR/tests/e2e/lib.sh"

EX="$FERRY_SOURCE_DIR/config/examples"
try() { "$FERRY" try -c "$EX/adt-routing.json" --channel adt-routing "$@"; }
# has <file> <block>: the output holds these lines, exactly and in a row.
has() {
  python3 -c 'import sys; sys.exit(0 if sys.argv[2] in open(sys.argv[1]).read() else 1)' "$1" "$2" ||
    fail "output lacks:
$2
--- output ---
$(cat "$1")"
}

# An update (A08): the channel rules change PID-8 and add metadata; the EHR
# transformer changes MSH-5; admissions filters it; the archive takes it as is.
try --message "$EX/messages/adt-a08.hl7" --meta remote_address=10.0.0.9 >"$WORK/a08.out" 2>"$WORK/a08.err" ||
  fail "try exited $?: $(cat "$WORK/a08.out" "$WORK/a08.err")"
[ ! -s "$WORK/a08.err" ] || fail "stderr: $(cat "$WORK/a08.err")"
has "$WORK/a08.out" "Dry run of channel \"adt-routing\" in $EX/adt-routing.json
Only transformers run: no source, destination, store or network. The message has id 1.

== input (content type guessed from the content)
   content: application/hl7-v2, 156 bytes, 4 lines ending in LF
   | MSH|^~\\&|ADT|HOSP|RECV|HOSP|20261126130000||ADT^A08|MSG0002|P|2.5
   | EVN|A08|20261126130000
   | PID|1||12345^^^HOSP^MR||DOE^JANE^M||19800202|X
   | PV1|1|I|WARD2^204^B
   metadata:
     remote_address = \"10.0.0.9\"

== channel transformers
-- transformer 0 (hl7.transform): ok
   content: application/hl7-v2, 156 bytes, 4 lines ending in LF (changed)
   | MSH|^~\\&|ADT|HOSP|RECV|HOSP|20261126130000||ADT^A08|MSG0002|P|2.5
   | EVN|A08|20261126130000
   | PID|1||12345^^^HOSP^MR||DOE^JANE^M||19800202|U
   | PV1|1|I|WARD2^204^B
   metadata:
     remote_address = \"10.0.0.9\"
     control_id = \"MSG0002\"  (new)
     patient_id = \"12345\"  (new)

== destination \"ehr\" (mllp.sender, not called)
-- destination ehr transformer 0 (hl7.transform): ok
   content: application/hl7-v2, 155 bytes, 4 lines ending in LF (changed)
   | MSH|^~\\&|ADT|HOSP|EHR|HOSP|20261126130000||ADT^A08|MSG0002|P|2.5"
has "$WORK/a08.out" "   metadata: unchanged
=> ehr would receive the message as its last transformer left it (above)"
has "$WORK/a08.out" "== destination \"admissions\" (file.writer, not called)
-- destination admissions transformer 0 (hl7.transform): FILTERED: rule 0 \"admits only\" (filter MSH-9.2): \"A08\" is not \"A01\"
   content: unchanged, application/hl7-v2, 156 bytes, 4 lines ending in LF
   metadata: unchanged
   (1 later transformer was not run)
=> not delivered: filtered by destination admissions transformer 0 (hl7.transform): rule 0 \"admits only\" (filter MSH-9.2): \"A08\" is not \"A01\""
has "$WORK/a08.out" "== destination \"archive\" (file.writer, not called)
   (no transformers of its own)
=> archive would receive:
   content: application/hl7-v2, 156 bytes, 4 lines ending in LF
   | MSH|^~\\&|ADT|HOSP|RECV|HOSP|20261126130000||ADT^A08|MSG0002|P|2.5
   | EVN|A08|20261126130000
   | PID|1||12345^^^HOSP^MR||DOE^JANE^M||19800202|U
   | PV1|1|I|WARD2^204^B
   metadata:
     remote_address = \"10.0.0.9\"
     control_id = \"MSG0002\"
     patient_id = \"12345\""
has "$WORK/a08.out" "== summary
   channel: passed (1 transformer)
   destination \"ehr\": would receive application/hl7-v2, 155 bytes, 4 lines ending in LF
   destination \"admissions\": not delivered, filtered by destination admissions transformer 0 (hl7.transform): rule 0 \"admits only\" (filter MSH-9.2): \"A08\" is not \"A01\"
   destination \"archive\": would receive application/hl7-v2, 156 bytes, 4 lines ending in LF"

# An admission through two admissions steps: the JSON after hl7.to_json.
try --message "$EX/messages/adt-a01.hl7" >"$WORK/a01.out" 2>&1 || fail "try a01 exited $?"
has "$WORK/a01.out" "-- destination admissions transformer 0 (hl7.transform): ok
   content: unchanged, application/hl7-v2, 198 bytes, 5 lines ending in LF
   metadata: unchanged
-- destination admissions transformer 1 (hl7.to_json): ok
   content: application/json, 1481 bytes, 104 lines ending in LF (none after the last) (changed)
   | {"
has "$WORK/a01.out" "   |       \"name\": \"NK1\""

# From stdin, with CR segment ends (shown as lines, not overprinted) and a
# stated content type; the channel filters it, so no destination is reached.
printf 'MSH|^~\\&|LAB|HOSP|RECV|HOSP|20261126140000||ORM^O01|MSG0003|P|2.5\rPID|1||777\r' |
  try --message - --content-type text/plain >"$WORK/orm.out" 2>&1 || fail "try orm exited $?"
has "$WORK/orm.out" "== input
   content: text/plain, 77 bytes, 2 lines ending in CR
   | MSH|^~\\&|LAB|HOSP|RECV|HOSP|20261126140000||ORM^O01|MSG0003|P|2.5
   | PID|1||777
   metadata: (none)

== channel transformers
-- transformer 0 (hl7.transform): FILTERED: rule 1 \"only ADT\" (filter MSH-9.1): \"ORM\" is not \"ADT\"
   content: unchanged, text/plain, 77 bytes, 2 lines ending in CR
   metadata:
     control_id = \"MSG0003\"  (new)
=> the message stops here (filtered by transformer 0 (hl7.transform): rule 1 \"only ADT\" (filter MSH-9.1): \"ORM\" is not \"ADT\"): no destination gets it

== destination \"ehr\" (mllp.sender, not called)
   not reached: the channel transformers stopped the message"
has "$WORK/orm.out" "   destination \"archive\": not reached"

# A transformer error is shown, and is no reason for a non-zero exit.
printf '{"not": "hl7"}' | try --message - >"$WORK/json.out" 2>&1 || fail "try of JSON content exited $?"
has "$WORK/json.out" "== input (content type guessed from the content)
   content: application/json, 14 bytes, 1 line"
has "$WORK/json.out" "-- transformer 0 (hl7.transform): ERROR: not an HL7 v2 message: "
has "$WORK/json.out" "   channel: failed in transformer 0 (hl7.transform): not an HL7 v2 message: "

# Errors: exit 2 with a clear message.
expect2() {
  local fragment=$1 status=0
  shift
  "$FERRY" try "$@" >"$WORK/e.out" 2>"$WORK/e.err" || status=$?
  [ $status -eq 2 ] || fail "ferry try $* exited $status, expected 2: $(cat "$WORK/e.out" "$WORK/e.err")"
  grep -qF -- "$fragment" "$WORK/e.err" || fail "missing '$fragment' in: $(cat "$WORK/e.err")"
}
M="$EX/messages/adt-a01.hl7"
expect2 "ferry try: --channel and --message are required" -c "$EX/adt-routing.json" --message "$M"
expect2 "ferry try: --channel and --message are required" -c "$EX/adt-routing.json" --channel adt-routing
expect2 "no channel \"nope\" in $EX/adt-routing.json (its channels: adt-routing)" \
  -c "$EX/adt-routing.json" --channel nope --message "$M"
expect2 "ferry try: --message $WORK/none.hl7: cannot open: No such file or directory" \
  -c "$EX/adt-routing.json" --channel adt-routing --message "$WORK/none.hl7"
expect2 "ferry try: --meta 'novalue': expected KEY=VALUE" \
  -c "$EX/adt-routing.json" --channel adt-routing --message "$M" --meta novalue
expect2 "cannot read config file $WORK/none.json" -c "$WORK/none.json" --channel adt-routing --message "$M"
sed 's/"port": 2576/"port": "many"/' "$EX/adt-routing.json" >"$WORK/bad.json"
expect2 "/channels/0/source/config/port: expected integer" -c "$WORK/bad.json" --channel adt-routing --message "$M"
expect2 "unrecognised option '--frobnicate'" --frobnicate
"$FERRY" try --help | grep -q "Usage: ferry try" || fail "ferry try --help"

[ ! -e "$EX/var" ] || fail "ferry try created $EX/var"
echo "PASS"
