# hl7.transform filter rules: equals, in, regex and exists, each plain and
# with "not". A message that passes is delivered byte-identical (nothing
# changed, so nothing is re-encoded); one that does not is FILTERED, and the
# store keeps the reason naming the rule and the value. Also: an absent
# value, a value too long for a regex (ERROR), and content that is not HL7.
source "$FERRY_SOURCE_DIR/tests/e2e/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/helpers.sh"

ADT=$'MSH|^~\\&|LAB|HOSP|EHR|HOSP|20261126120000||ADT^A01|MSG0001|P|2.5\rPID|1||12345^^^HOSP^MR||SMITH^JOHN||19700101|M|||||||||||123-45-6789\r'
ORM=$'MSH|^~\\&|LAB|HOSP|EHR|HOSP|20261126120100||ORM^O01|MSG0002|P|2.5\rPID|1||777^^^HOSP^MR||DOE^JANE||19800202|F\rNK1|1|DOE^JOHN|SPO\r'
NOPID=$'MSH|^~\\&|LAB|HOSP|EHR|HOSP|20261126120200||ADT^A08|MSG0003|P|2.5\r'
LONG=$'MSH|^~\\&|LAB|HOSP|EHR|HOSP|20261126120300||ADT^A08|MSG0004|P|2.5\rPID|1||1||'"$(printf 'A%.0s' $(seq 5000))"$'^X\r'

filter() { transform_json "[$1]"; }
config_json \
  "$(channel_json equals "$(filter '{"filter": {"path": "MSH-9.1", "equals": "ADT"}}')")" \
  "$(channel_json equals_not "$(filter '{"filter": {"path": "MSH-9.1", "equals": "ADT", "not": true}}')")" \
  "$(channel_json in "$(filter '{"name": "adt-or-oru", "filter": {"path": "MSH-9.1", "in": ["ADT", "ORU"]}}')")" \
  "$(channel_json in_not "$(filter '{"filter": {"path": "MSH-9.1", "in": ["ADT", "ORU"], "not": true}}')")" \
  "$(channel_json regex "$(filter '{"filter": {"path": "PID-5.1", "regex": "^SM(I|Y)TH$"}}')")" \
  "$(channel_json regex_not "$(filter '{"filter": {"path": "PID-5.1", "regex": "^SM", "not": true}}')")" \
  "$(channel_json exists "$(filter '{"filter": {"path": "PID-19", "exists": true}}')")" \
  "$(channel_json exists_false "$(filter '{"filter": {"path": "NK1", "exists": false}}')")" \
  "$(channel_json exists_not "$(filter '{"filter": {"path": "PID-19", "exists": true, "not": true}}')")" \
  >"$WORK/ferry.json"
start_ferry "$WORK/ferry.json"

channels="equals equals_not in in_not regex regex_not exists exists_false exists_not"
for ch in $channels; do
  drop "$ch" adt.hl7 "$ADT"
  drop "$ch" orm.hl7 "$ORM"
done
drop regex nopid.hl7 "$NOPID"
drop regex long.hl7 "$LONG"
drop equals junk.hl7 "hello, not HL7"
for ch in $channels; do
  wait_taken "$ch" adt.hl7
  wait_taken "$ch" orm.hl7
done
wait_taken regex nopid.hl7
wait_taken regex long.hl7
wait_taken equals junk.hl7
store_snapshot

T='transformer 0 (hl7.transform): '
# pass <channel> <file> <content> / filtered <channel> <file> <reason>
pass() {
  expect_stored "$1" "$2" transformed
  expect_output "$1" "$2" "$3"
  [ -f "$WORK/$1/done/$2" ] || fail "$1/$2 not in done/"
}
filtered() {
  expect_stored "$1" "$2" filtered "$T$3"
  [ -f "$WORK/$1/done/$2" ] || fail "filtered $1/$2 not in done/ (a filtered file counts as taken)"
  [ ! -e "$WORK/$1/out/$2" ] || fail "filtered $1/$2 was delivered"
}

pass equals adt.hl7 "$ADT"
filtered equals orm.hl7 'rule 0 (filter MSH-9.1): "ORM" is not "ADT"'
filtered equals_not adt.hl7 'rule 0 (filter MSH-9.1): "ADT" must not be "ADT"'
pass equals_not orm.hl7 "$ORM"
pass in adt.hl7 "$ADT"
filtered in orm.hl7 'rule 0 "adt-or-oru" (filter MSH-9.1): "ORM" is not in ["ADT", "ORU"]'
filtered in_not adt.hl7 'rule 0 (filter MSH-9.1): "ADT" must not be in ["ADT", "ORU"]'
pass in_not orm.hl7 "$ORM"
pass regex adt.hl7 "$ADT"
filtered regex orm.hl7 'rule 0 (filter PID-5.1): "DOE" does not match the regex "^SM(I|Y)TH$"'
filtered regex_not adt.hl7 'rule 0 (filter PID-5.1): "SMITH" must not match the regex "^SM"'
pass regex_not orm.hl7 "$ORM"
pass exists adt.hl7 "$ADT"
filtered exists orm.hl7 'rule 0 (filter PID-19): has no value'
pass exists_false adt.hl7 "$ADT"
filtered exists_false orm.hl7 'rule 0 (filter NK1): has a value, "NK1|1|DOE^JOHN|SPO", and must have none'
filtered exists_not adt.hl7 'rule 0 (filter PID-19): has a value, "123-45-6789", and must have none'
pass exists_not orm.hl7 "$ORM"

# No PID at all: the value is absent, and compares as "".
filtered regex nopid.hl7 'rule 0 (filter PID-5.1): (absent) does not match the regex "^SM(I|Y)TH$"'
# A regex never runs on more than 4096 bytes (std::regex recursion would
# risk the engine's stack): the message fails instead.
expect_stored regex long.hl7 error "${T}rule 0 (filter PID-5.1): the value is 5000 bytes, more than the 4096 a regex is run on"
[ -f "$WORK/regex/error/long.hl7" ] || fail "failed long.hl7 not in error/"
# Content that is not HL7 fails with the parser's reason.
expect_stored equals junk.hl7 error "${T}not an HL7 v2 message: offset 0: a message starts with MSH, not \"hel\""
[ -f "$WORK/equals/error/junk.hl7" ] || fail "failed junk.hl7 not in error/"

# The log names the rule too (logfmt escapes the quotes).
grep -qF 'filtered by transformer 0 (hl7.transform): rule 0 \"adt-or-oru\" (filter MSH-9.1): \"ORM\" is not in [\"ADT\", \"ORU\"]' \
  "$WORK/ferry.log" || fail "filter reason not logged"
stop_ferry
echo "PASS"
