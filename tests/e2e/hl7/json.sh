# hl7.to_json and hl7.from_json: HL7 to the library's JSON form
# (docs/hl7-json.md) and back gives the original bytes, for CR and LF
# segment separators, a missing final separator, delimiter escapes and a
# formatting sequence, repetitions, subcomponents, HL7 nulls and ISO-8859-1
# (MSH-18); the JSON that hl7.to_json writes, read by hl7.from_json in
# another channel, gives them back too.
# Content types, `pretty`, and the errors for bad input.
source "$FERRY_SOURCE_DIR/tests/e2e/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/helpers.sh"

M1=$'MSH|^~\\&|LAB|HOSP|EHR|HOSP|20261126120000||ORU^R01|MSG0001|P|2.5\r'\
$'PID|1||123^^^H&1.2.3&ISO^MR~456^^^X||O\\T\\BRIEN^JOHN|""\r'\
$'OBX|1|TX|||a \\F\\ b \\S\\ c \\R\\ d \\E\\ e\\.br\\f|||N\r'
M2=$'MSH|^~\\&|LAB|HOSP|EHR|HOSP|20261126120000||ADT^A01|MSG0002|P|2.5\nPID|1||777\nPV1|1|I'
M3=$'MSH|^~\\&|LAB|HOSP|EHR|HOSP|20261126120000||ADT^A01|MSG0003|P|2.5||||||8859/1\rPID|1||5||M\xdcLLER^J\xd6RG\r'

config_json \
  "$(channel_json tojson '[{"type": "hl7.to_json"}]')" \
  "$(channel_json pretty '[{"type": "hl7.to_json", "config": {"pretty": true}}]')" \
  "$(channel_json fromjson '[{"type": "hl7.from_json"}]')" \
  "$(channel_json roundtrip '[{"type": "hl7.to_json", "config": {"pretty": true}}, {"type": "hl7.from_json"}]')" \
  >"$WORK/ferry.json"
start_ferry "$WORK/ferry.json"

n=0
for m in "$M1" "$M2" "$M3"; do
  n=$((n + 1))
  drop tojson "$n.hl7" "$m"
  drop roundtrip "$n.hl7" "$m"
done
drop pretty 1.hl7 "$M1"
drop tojson junk.hl7 "junk"
drop fromjson junk.json "not json"
drop fromjson empty.json '{"segments": []}'

wait_taken tojson junk.hl7
wait_taken fromjson junk.json
wait_taken fromjson empty.json

# In one channel: to JSON and back, byte-identical.
n=0
for m in "$M1" "$M2" "$M3"; do
  n=$((n + 1))
  expect_output roundtrip "$n.hl7" "$m"
done

# Across channels: what hl7.to_json wrote, fed to hl7.from_json.
for n in 1 2 3; do
  wait_for 10 test -f "$WORK/tojson/out/$n.hl7" || fail "tojson/out/$n.hl7 missing"
  cp "$WORK/tojson/out/$n.hl7" "$WORK/fromjson/in/.$n.json.part"
  mv "$WORK/fromjson/in/.$n.json.part" "$WORK/fromjson/in/$n.json"
done
n=0
for m in "$M1" "$M2" "$M3"; do
  n=$((n + 1))
  expect_output fromjson "$n.json" "$m"
done
store_snapshot
for n in 1 2 3; do expect_stored roundtrip "$n.hl7" transformed; done

# The JSON itself: one line by default, indented with "pretty"; the form
# of docs/hl7-json.md (decoded, UTF-8, nested by repetition/component/
# subcomponent); application/json in the store.
[ "$(lines_in "$WORK/tojson/out/1.hl7")" -eq 0 ] || fail "to_json output is not one line"
wait_for 10 test -f "$WORK/pretty/out/1.hl7" || fail "pretty/out/1.hl7 missing"
[ "$(lines_in "$WORK/pretty/out/1.hl7")" -gt 10 ] && grep -q '^  "' "$WORK/pretty/out/1.hl7" ||
  fail "pretty output is not indented: $(head -c 300 "$WORK/pretty/out/1.hl7")"
cmp -s <(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])))' "$WORK/tojson/out/1.hl7") \
  <(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])))' "$WORK/pretty/out/1.hl7") ||
  fail "pretty and compact JSON differ"
python3 - "$WORK/tojson/out/1.hl7" "$WORK/tojson/out/2.hl7" "$WORK/tojson/out/3.hl7" <<'PY' || fail "JSON form unexpected"
import json, sys
m1, m2, m3 = (json.load(open(p, encoding="utf-8")) for p in sys.argv[1:])
names = [s["name"] for s in m1["segments"]]
assert names == ["MSH", "PID", "OBX"], names
msh = m1["segments"][0]["fields"]
assert msh[0] == "|" and msh[1] == "^~\\&" and msh[8] == [["ORU", "R01"]] and msh[9] == "MSG0001", msh
pid = m1["segments"][1]["fields"]
assert pid[2] == [["123", "", "", ["H", "1.2.3", "ISO"], "MR"], ["456", "", "", "X"]], pid[2]
assert pid[4] == [["O&BRIEN", "JOHN"]], pid[4]
assert pid[5] == '""', pid[5]
assert m1["segments"][2]["fields"][4] == "a | b ^ c ~ d \\ e\\.br\\f", m1["segments"][2]["fields"][4]
assert m1["segment_separator"] == "\r" and m1["trailing_separator"] is True, m1
assert m2["segment_separator"] == "\n" and m2["trailing_separator"] is False, m2
assert m3["segments"][1]["fields"][4] == [["M\u00dcLLER", "J\u00d6RG"]], m3["segments"][1]
PY
id=$(store_get tojson 1.hl7 id)
"$FERRY" messages show "$id" --json --data-dir "$WORK/var" >"$WORK/show.json" || fail "show failed"
python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); assert m["transformed_type"] == "application/json", m' \
  "$WORK/show.json" || fail "to_json content type: $(cat "$WORK/show.json")"
id=$(store_get fromjson 1.json id)
"$FERRY" messages show "$id" --json --data-dir "$WORK/var" >"$WORK/show.json" || fail "show failed"
python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); assert m["transformed_type"] == "application/hl7-v2", m' \
  "$WORK/show.json" || fail "from_json content type: $(cat "$WORK/show.json")"

# Bad input fails the message with the reason.
T='transformer 0 '
expect_stored tojson junk.hl7 error "${T}(hl7.to_json): not an HL7 v2 message: offset 0: a message starts with MSH, not \"jun\""
error=$(store_get fromjson junk.json error)
[[ "$error" == "${T}(hl7.from_json): content is not JSON: "*"parse error"* ]] || fail "junk.json: $error"
expect_stored fromjson empty.json error "${T}(hl7.from_json): HL7 JSON /segments: expected a non-empty array of segments"
stop_ferry
echo "PASS"
