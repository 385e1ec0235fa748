# hl7.transform rules that change messages: set (with ${meta:KEY} and
# ${path:PATH} placeholders), copy (a plain value, and one with components),
# delete (a field, one segment occurrence, every segment of a name), map
# with each default ("keep", {"value": ...}, "error"), and meta (the values
# land in the store's metadata, so `ferry messages search --meta` finds
# them). Checks the exact bytes written, the content type, and the errors.
source "$FERRY_SOURCE_DIR/tests/e2e/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/helpers.sh"

MSH=$'MSH|^~\\&|LAB|HOSP|EHR|HOSP|20261126120000||'
A="${MSH}"$'ADT^A01|MSG0001|P|2.5\r'\
$'PID|1||12345^^^HOSP&1.2.3&ISO^MR||SMITH^JOHN^Q||19700101|M|||||||||||123-45-6789\r'\
$'NK1|1|DOE^JANE|SPO\r'\
$'PV1|1|I\r'\
$'OBX|1|TX|A||first\r'\
$'NTE|1||note one\r'\
$'OBX|2|TX|B||second\r'\
$'NTE|2||note two\r'\
$'OBX|3|TX|C||third\r'
B="${MSH}"$'ADT^A04|MSG0002|P|2.5\rPID|1||999||ROE^RICHARD\r'

rules='[
  {"set": {"path": "PID-8", "value": "U"}},
  {"name": "stamp", "set": {"path": "ZFR-1", "value": "${meta:filename}/${path:MSH-10}/${path:PID-5.1}/${meta:nope}."}},
  {"set": {"path": "ZFR-2", "value": "${path:PID-5}"}},
  {"copy": {"from": "PID-5", "to": "NK1-2"}},
  {"copy": {"from": "PID-3.1", "to": "PID-2"}},
  {"copy": {"from": "PID-3.4", "to": "ZFR-3.2"}},
  {"copy": {"from": "PID-3", "to": "ZFR-4"}},
  {"delete": {"path": "PID-19"}},
  {"delete": {"path": "OBX[2]"}},
  {"delete": {"path": "NTE"}},
  {"meta": {"key": "patient_id", "path": "PID-3.1"}},
  {"meta": {"key": "event", "path": "MSH-9.2"}}
]'
maps='[
  {"map": {"path": "PV1-2", "table": {"I": "IN", "O": "OUT"}}},
  {"map": {"path": "PV1-3", "table": {"W": "WARD"}, "default": {"value": "OTHER"}}},
  {"name": "admit-type", "map": {"path": "PV1-4", "table": {"E": "EMERG", "R": "ROUTINE"}, "default": "error"}},
  {"map": {"path": "PV1-5", "table": {"x": "y"}, "default": "keep"}}
]'
# A value with components fits only a path of the same level.
mismatch='[{"meta": {"key": "seen", "path": "MSH-10"}}, {"copy": {"from": "PID-5", "to": "NK1-2.1"}}]'
config_json \
  "$(channel_json edit "$(transform_json "$rules")")" \
  "$(channel_json maps "$(transform_json "$maps")")" \
  "$(channel_json mismatch "$(transform_json "$mismatch")")" \
  >"$WORK/ferry.json"
start_ferry "$WORK/ferry.json"

drop edit a.hl7 "$A"
drop edit b.hl7 "$B"
pv1() { printf '%s\r%s\r' "${MSH}ADT^A01|MSG$1|P|2.5" "$2"; }
drop maps m1.hl7 "$(pv1 11 'PV1|1|I|W|E|z')"
drop maps m2.hl7 "$(pv1 12 'PV1|1|X|Z|R')"
drop maps m3.hl7 "$(pv1 13 'PV1|1|O||Q')"
drop maps m4.hl7 "$(pv1 14 'PV1|1|O')"
drop mismatch c.hl7 "$B"
for f in a.hl7 b.hl7; do wait_taken edit $f; done
for f in m1.hl7 m2.hl7 m3.hl7 m4.hl7; do wait_taken maps $f; done
wait_taken mismatch c.hl7
store_snapshot

# a.hl7: PID-8 set; ZFR created at the end (a composite read through
# ${path:...} is text, so its ^ are escaped); NK1-2 now holds PID-5 with its
# components; PID-2 = PID-3.1; ZFR-3.2 and ZFR-4 copies with subcomponents; PID-19 cleared (trailing empty fields go);
# OBX[2] and every NTE removed; everything else byte-identical.
expect_output edit a.hl7 "${MSH}"$'ADT^A01|MSG0001|P|2.5\r'\
$'PID|1|12345|12345^^^HOSP&1.2.3&ISO^MR||SMITH^JOHN^Q||19700101|U\r'\
$'NK1|1|SMITH^JOHN^Q|SPO\r'\
$'PV1|1|I\r'\
$'OBX|1|TX|A||first\r'\
$'OBX|3|TX|C||third\r'\
$'ZFR|a.hl7/MSG0001/SMITH/.|SMITH\\S\\JOHN\\S\\Q|^HOSP&1.2.3&ISO|12345^^^HOSP&1.2.3&ISO^MR\r'
# b.hl7: segments that rules write to are created (ZFR, then NK1, in rule
# order); rules whose target is absent change nothing.
expect_output edit b.hl7 "${MSH}"$'ADT^A04|MSG0002|P|2.5\r'\
$'PID|1|999|999||ROE^RICHARD|||U\r'\
$'ZFR|b.hl7/MSG0002/ROE/.|ROE\\S\\RICHARD||999\r'\
$'NK1||ROE^RICHARD\r'
expect_stored edit a.hl7 transformed
[ "$(store_get edit a.hl7 meta.patient_id)" = 12345 ] || fail "meta patient_id: $(store_get edit a.hl7 meta.patient_id)"
[ "$(store_get edit a.hl7 meta.event)" = A01 ] || fail "meta event: $(store_get edit a.hl7 meta.event)"
[ "$(store_get edit b.hl7 meta.patient_id)" = 999 ] || fail "meta patient_id of b.hl7"
"$FERRY" messages search --meta patient_id=12345 --data-dir "$WORK/var" >"$WORK/search.txt" || fail "search failed"
grep -q 'filename=a.hl7' "$WORK/search.txt" && [ "$(grep -c 'filename=' "$WORK/search.txt")" -eq 1 ] ||
  fail "search --meta patient_id=12345: $(cat "$WORK/search.txt")"
# The transformed content is HL7 v2 whatever the reader called it.
id=$(store_get edit a.hl7 id)
"$FERRY" messages show "$id" --json --data-dir "$WORK/var" >"$WORK/show.json" || fail "show failed"
python3 - "$WORK/show.json" <<'PY' || fail "content types: $(cat "$WORK/show.json")"
import json, sys
m = json.load(open(sys.argv[1]))
assert m["content_type"] == "text/plain" and m["transformed_type"] == "application/hl7-v2", m
PY

# map: table hits; "keep" leaves X and an absent PV1-5; {"value"} fills in
# both an unknown and an absent value; "error" fails naming rule, path, value.
expect_output maps m1.hl7 "$(pv1 11 'PV1|1|IN|WARD|EMERG|z')"
expect_output maps m2.hl7 "$(pv1 12 'PV1|1|X|OTHER|ROUTINE')"
T='transformer 0 (hl7.transform): '
expect_stored maps m3.hl7 error "${T}rule 2 \"admit-type\" (map PV1-4): no mapping for \"Q\""
expect_stored maps m4.hl7 error "${T}rule 2 \"admit-type\" (map PV1-4): no mapping for (absent)"
[ -f "$WORK/maps/error/m3.hl7" ] && [ -f "$WORK/maps/error/m4.hl7" ] || fail "failed maps inputs not in error/"
[ ! -e "$WORK/maps/out/m3.hl7" ] && [ ! -e "$WORK/maps/out/m4.hl7" ] || fail "failed maps messages delivered"

# A runtime error names the rule and its paths; metadata set by the rules
# before it is kept with the failed message.
expect_stored mismatch c.hl7 error "${T}rule 1 (copy PID-5 to NK1-2.1): PID-5 has components, which fit only a path of the same level as PID-5 (a field, e.g. PID-5)"
[ "$(store_get mismatch c.hl7 meta.seen)" = MSG0002 ] || fail "metadata of the failed message: $(store_get mismatch c.hl7 meta.seen)"
stop_ferry
echo "PASS"
