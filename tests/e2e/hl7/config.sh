# Config errors of the hl7 plugin. `ferry check` validates the declared keys
# (rules is required, pretty is a boolean, no unknown keys); what is inside
# "rules" is checked when the instance is created, so bad rules make
# `ferry run` exit 1 before any channel starts, with every problem listed
# and each naming its rule. Also: `ferry plugins` shows exactly the
# documented components, keys and defaults.
source "$FERRY_SOURCE_DIR/tests/e2e/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/helpers.sh"

# config_with <transformers JSON array>: one channel with these transformers.
config_with() { config_json "$(channel_json c "$1")"; }

expect_check_fails() {
  local cfg=$1 status=0
  shift
  "$FERRY" check -c "$cfg" >"$WORK/check.out" 2>"$WORK/check.err" || status=$?
  [ "$status" -eq 1 ] || fail "ferry check exited $status, expected 1: $(cat "$WORK/check.out" "$WORK/check.err")"
  for fragment in "$@"; do
    grep -qF -- "$fragment" "$WORK/check.err" || fail "missing '$fragment' in: $(cat "$WORK/check.err")"
  done
}
# expect_run_fails <config> <fragment>...: exit 1, each fragment in the log
# (logfmt: the quotes in the fragments appear as \"), no channel started.
expect_run_fails() {
  local cfg=$1 status=0
  shift
  timeout 20 "$FERRY" run -c "$cfg" >"$WORK/run.log" 2>&1 || status=$?
  [ "$status" -eq 1 ] || fail "ferry run exited $status, expected 1: $(cat "$WORK/run.log")"
  for fragment in "$@"; do
    grep -qF -- "${fragment//\"/\\\"}" "$WORK/run.log" || fail "missing '$fragment' in: $(cat "$WORK/run.log")"
  done
  ! grep -q "channel started" "$WORK/run.log" || fail "a channel started: $(cat "$WORK/run.log")"
}

# --- what ferry check sees: the declared keys -------------------------------
config_with '[{"type": "hl7.transform", "config": {"rule": []}}, {"type": "hl7.to_json", "config": {"pretty": "yes"}},
              {"type": "hl7.from_json", "config": {"pretty": true}}]' >"$WORK/keys.json"
expect_check_fails "$WORK/keys.json" \
  '/channels/0/transformers/0/config/rules: required key is missing' \
  '/channels/0/transformers/0/config/rule: unknown key' \
  '/channels/0/transformers/1/config/pretty: expected boolean' \
  '/channels/0/transformers/2/config/pretty: unknown key'

# --- a good config with every rule kind passes check and starts -------------
good='[
  {"name": "adt only", "filter": {"path": "MSH-9.1", "in": ["ADT", "ORU"]}},
  {"filter": {"path": "PID-5.1", "regex": "^[A-Z]+$", "not": true}},
  {"filter": {"path": "NK1", "exists": false}},
  {"filter": {"path": "MSH-11", "equals": "T", "not": true}},
  {"set": {"path": "ZFR-1", "value": "${meta:filename}-${path:MSH-10}"}},
  {"copy": {"from": "PID-5", "to": "NK1-2"}},
  {"delete": {"path": "OBX[2]"}},
  {"delete": {"path": "PID-19"}},
  {"map": {"path": "PID-8", "table": {"1": "M"}, "default": {"value": "U"}}},
  {"meta": {"key": "control_id", "path": "MSH-10"}}
]'
config_with "$(transform_json "$good")" >"$WORK/good.json"
"$FERRY" check -c "$WORK/good.json" >"$WORK/check.out" 2>&1 || fail "good config rejected: $(cat "$WORK/check.out")"
start_ferry "$WORK/good.json"
stop_ferry

# --- bad rules: every problem at once, when ferry run creates the instance --
bad='[
  {"filter": {"path": "PID3", "equals": "x"}},
  {"filter": {"path": "PID-3", "regex": "(["}},
  {"sett": {"path": "PID-3", "value": "x"}},
  {"set": {"path": "PID-3", "value": "${nope}"}},
  {"map": {"path": "PID-8", "table": {"M": 1}}},
  {"name": "tag", "set": {"path": "PID-3", "value": "${path:XX}"}},
  {"set": {"path": "PID-3", "value": "${meta:x"}},
  {"delete": {"path": "MSH"}},
  {"set": {"path": "PID", "value": "x"}},
  {"copy": {"from": "PID-3", "to": "MSH-2"}},
  {"filter": {"path": "PID-3"}},
  {"filter": {"path": "PID-3", "equals": "a", "exists": true}},
  {"map": {"path": "PID-8", "table": {}, "default": "drop"}},
  {"set": {"path": "PID-3", "value": "x"}, "map": {}},
  {"meta": {"key": "", "path": "PID-3"}},
  {"set": {"path": "PID-1001", "value": "x"}},
  {"filter": {"path": "PID-3", "in": [], "nope": 1}},
  "set"
]'
config_with "$(transform_json "$bad")" >"$WORK/bad.json"
"$FERRY" check -c "$WORK/bad.json" >/dev/null 2>&1 || true  # the contents of "rules" are not check's to judge
expect_run_fails "$WORK/bad.json" \
  '/channels/0/transformers/0: hl7.transform could not be created: rules[0] (filter): "path": bad HL7 path "PID3": unexpected character at position 4' \
  '; rules[1] (filter): "regex" "([" is not a valid ECMAScript regex: ' \
  '; rules[2]: unknown rule "sett" (expected "filter", "set", "copy", "delete", "map" or "meta");' \
  '; rules[3] (set): "value" "${nope}" has an unknown placeholder ${nope} (only ${meta:KEY} and ${path:PATH} are allowed);' \
  '; rules[4] (map): "table" must be an object of strings;' \
  '; rules[5] "tag" (set): "value" "${path:XX}" has ${path:XX}: bad HL7 path "XX": ' \
  "; rules[6] (set): \"value\" \"\${meta:x\" has an unterminated placeholder \${meta:x (missing '}');" \
  '; rules[7] (delete): "path" "MSH": the MSH segment cannot be removed;' \
  '; rules[8] (set): "path" "PID": names a whole segment; give a field, e.g. PID-3;' \
  "; rules[9] (copy): \"to\" \"MSH-2\": MSH-1 and MSH-2 hold the message's delimiters and cannot be changed;" \
  '; rules[10] (filter): needs one of "equals", "in", "regex", "exists";' \
  '; rules[11] (filter): has more than one test; give exactly one of "equals", "in", "regex", "exists";' \
  '; rules[12] (map): "default" must be "keep", "error" or {"value": "X"};' \
  '; rules[13]: has both "map" and "set"; give one rule per object;' \
  '; rules[14] (meta): "key" must not be empty;' \
  '; rules[15] (set): "path" "PID-1001": field 1001 is over the limit of 1000;' \
  '; rules[16] (filter): unknown key "nope" (expected "path", "equals", "in", "regex", "exists", "not");' \
  '; rules[17]: must be an object with one of "filter", "set", "copy", "delete", "map" or "meta" (and optionally "name")'

config_with "$(transform_json '{"filter": {"path": "MSH-9.1", "equals": "ADT"}}')" >"$WORK/notarray.json"
expect_run_fails "$WORK/notarray.json" 'hl7.transform could not be created: "rules" must be an array of rules'

# --- ferry plugins: the documented components, keys and defaults ------------
"$FERRY" plugins --plugin-dir "$FERRY_PLUGIN_DIR" --json >"$WORK/plugins.json" || fail "ferry plugins failed"
python3 - "$WORK/plugins.json" >"$WORK/keys.txt" <<'PY'
import json, sys
for plugin in json.load(open(sys.argv[1]))["plugins"]:
    if plugin["name"] != "hl7":
        continue
    for c in plugin["components"]:
        keys = " ".join(k["name"] + "=" + (json.dumps(k["default"]) if "default" in k else "")
                        for k in sorted(c["config"], key=lambda k: k["name"]))
        print(c["type"], c["kind"], keys)
PY
[ "$(cat "$WORK/keys.txt")" = "hl7.transform transformer rules=
hl7.to_json transformer pretty=false
hl7.from_json transformer " ] || fail "components and keys: $(cat "$WORK/keys.txt")"
for doc in "$FERRY_SOURCE_DIR/plugins/hl7/README.md" "$FERRY_SOURCE_DIR/docs/plugins/hl7.md"; do
  for type in hl7.transform hl7.to_json hl7.from_json; do grep -qF "$type" "$doc" || fail "$doc does not mention $type"; done
  grep -qF '| `rules` |' "$doc" || fail "$doc does not document key rules"
  grep -qE '^\| `pretty` \| boolean \| `false` \|' "$doc" || fail "$doc does not document pretty and its default false"
done
echo "PASS"
