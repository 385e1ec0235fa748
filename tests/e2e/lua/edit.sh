# lua.transform through a real ferry run: HL7 field and segment edits, JSON
# edits and JSON -> HL7, metadata (found by `ferry messages search`), filter
# with a reason, and runtime errors that name the file (or "script") and
# line, recorded on the stored message. Checks the exact bytes written.
source "$FERRY_SOURCE_DIR/tests/e2e/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/helpers.sh"

mkdir -p "$WORK/scripts"
cat >"$WORK/scripts/adt.lua" <<'LUA'
-- HL7 mapping: runs once at start, then transform() per message.
local sites = {HOSP = "H1", CLINIC = "C7"}

function transform(msg)
  local kind = msg:get("MSH-9.1")
  if kind ~= "ADT" then
    filter("not ADT: " .. tostring(kind))
  end
  msg.meta.patient_id = msg:get("PID-3.1"); msg.meta.seen_id = tostring(msg.id)
  msg:set("PID-5.1", msg:get("PID-5.1"):upper())
  msg:set("MSH-4", sites[msg:get("MSH-4")] or "UNKNOWN")
  for seg in msg:segments("OBX") do
    seg:set("5", seg:get("5") .. " (checked)")
  end
  msg:remove_segments("NTE")
  msg:add_segment("ZFE|" .. msg.meta.filename)
  if msg:get("PID-3.1") == "FAIL" then
    local missing = nil
    return missing.field   -- line 19
  end
end
LUA

json_script=$(json_string '
function transform(msg)
  local j = msg.json
  if j.type == "patient" then
    msg.content = "MSH|^~\\&|FERRY|HOSP|||20260101||ADT^A04|" .. j.id .. "|P|2.5\r"
    msg:set("PID-3.1", j.mrn)
    msg:set("PID-5.1", j.name.family)
    msg:set("PID-5.2", j.name.given[1])
    return
  end
  j.status = "seen"
  j.count = #j.items
  table.insert(j.items, {code = "new", value = json.null})
  msg.json = j
  msg.meta.count = j.count
end')

inline_error=$(json_string 'function transform(msg)
  local n = tonumber(msg.content)
  return n + 1 -- line 3
end')

config_json \
  "$(lua_channel adt "{\"file\": \"$WORK/scripts/adt.lua\"}")" \
  "$(lua_channel json "{\"script\": $json_script}")" \
  "$(lua_channel inline "{\"script\": $inline_error}")" \
  >"$WORK/ferry.json"
start_ferry "$WORK/ferry.json"

MSH=$'MSH|^~\\&|LAB|HOSP|EHR|HOSP|20261126120000||'
drop adt a.hl7 "${MSH}"$'ADT^A01|M1|P|2.5\rPID|1||12345^^^HOSP^MR||smith^john\rOBX|1|TX|A||first\rNTE|1||note\rOBX|2|TX|B||second\r'
drop adt orm.hl7 "${MSH}"$'ORM^O01|M2|P|2.5\rPID|1||777||doe^jane\r'
drop adt fail.hl7 "${MSH}"$'ADT^A08|M3|P|2.5\rPID|1||FAIL||roe^rick\r'
drop adt text.hl7 'not hl7 at all'
drop json edit.json '{"type": "order", "items": [{"code": "a"}], "empty": [], "obj": {}}'
drop json patient.json '{"type": "patient", "id": "P9", "mrn": "555", "name": {"family": "Doe", "given": ["Jane", "Q"]}}'
drop inline nan.txt 'not a number'
for f in a.hl7 orm.hl7 fail.hl7 text.hl7; do wait_taken adt $f; done
for f in edit.json patient.json; do wait_taken json $f; done
wait_taken inline nan.txt
store_snapshot

expect_output adt a.hl7 $'MSH|^~\\&|LAB|H1|EHR|HOSP|20261126120000||ADT^A01|M1|P|2.5\r'\
$'PID|1||12345^^^HOSP^MR||SMITH^john\r'\
$'OBX|1|TX|A||first (checked)\r'\
$'OBX|2|TX|B||second (checked)\r'\
$'ZFE|a.hl7\r'
expect_stored adt a.hl7 transformed
[ "$(store_meta adt a.hl7 patient_id)" = 12345 ] || fail "patient_id of a.hl7: $(store_meta adt a.hl7 patient_id)"
"$FERRY" messages search --meta patient_id=12345 --data-dir "$WORK/var" >"$WORK/search.txt" || fail "search failed"
grep -q 'filename=a.hl7' "$WORK/search.txt" || fail "search --meta patient_id=12345: $(cat "$WORK/search.txt")"
# A channel transformer sees the id the message is then stored under.
[ "$(store_get adt a.hl7 meta.seen_id)" = "$(store_get adt a.hl7 id)" ] && [ "$(store_get adt a.hl7 id)" -gt 0 ] ||
  fail "msg.id in the transformer was $(store_get adt a.hl7 meta.seen_id), stored as $(store_get adt a.hl7 id)"

T='transformer 0 (lua.transform): '
expect_stored adt orm.hl7 filtered "${T}not ADT: ORM"
[ -f "$WORK/adt/done/orm.hl7" ] && [ ! -e "$WORK/adt/out/orm.hl7" ] || fail "the filtered message went out"
# The failed message is stored with the error and the metadata set before it.
EXPECT_MATCH=1 expect_stored adt fail.hl7 error "${T}*/scripts/adt.lua:19: attempt to index a nil value (local 'missing')"
[ "$(store_meta adt fail.hl7 patient_id)" = FAIL ] || fail "metadata of the failed message"
[ -f "$WORK/adt/error/fail.hl7" ] || fail "fail.hl7 not in error/"
EXPECT_MATCH=1 expect_stored adt text.hl7 error "${T}*/scripts/adt.lua:5: the content is not an HL7 v2 message: offset 0: a message starts with MSH, not \"not\""

expect_output json edit.json '{"count":1,"empty":[],"items":[{"code":"a"},{"code":"new","value":null}],"obj":{},"status":"seen","type":"order"}'
[ "$(store_meta json edit.json count)" = 1 ] || fail "meta count"
expect_output json patient.json $'MSH|^~\\&|FERRY|HOSP|||20260101||ADT^A04|P9|P|2.5\rPID|||555||Doe^Jane\r'
id=$("$FERRY" messages list --json --data-dir "$WORK/var" | python3 -c '
import json, sys
print([m["id"] for m in json.load(sys.stdin) if m["metadata"].get("filename") == "patient.json"][0])')
"$FERRY" messages show "$id" --json --data-dir "$WORK/var" >"$WORK/show.json" || fail "show failed"
python3 - "$WORK/show.json" <<'PY' || fail "content types: $(cat "$WORK/show.json")"
import json, sys
m = json.load(open(sys.argv[1]))
assert m["transformed_type"] == "application/hl7-v2", m
PY

expect_stored inline nan.txt error "${T}script:3: attempt to perform arithmetic on a nil value (local 'n')"
grep -q "message .* failed in transformer 0 (lua.transform): script:3: attempt to perform arithmetic" "$WORK/ferry.log" ||
  fail "the error is not in the log"
stop_ferry
echo "PASS"
