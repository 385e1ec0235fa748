# lua.transform config errors: `ferry check` catches bad keys and opt-ins,
# and (it creates the components) a script that does not compile; `ferry
# run` refuses to start on a script that does not compile (naming the file
# or "script" and the line), on script and file both or neither set, on a
# missing file, and on a script without transform(). `ferry plugins` lists
# the keys.
source "$FERRY_SOURCE_DIR/tests/e2e/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/helpers.sh"

"$FERRY" plugins --plugin-dir "$FERRY_PLUGIN_DIR" >"$WORK/plugins.txt" || fail "ferry plugins failed"
for key in script file allow module_dirs params max_instructions timeout_ms max_memory_mb; do
  grep -q "^    $key " "$WORK/plugins.txt" || fail "ferry plugins does not list $key: $(cat "$WORK/plugins.txt")"
done

# run_fails <config JSON of lua.transform> <expected text>: ferry run exits 1
# before serving, printing the text.
run_fails() {
  config_json "$(lua_channel c "$1")" >"$WORK/bad.json"
  local status=0
  timeout 30 "$FERRY" run -c "$WORK/bad.json" >"$WORK/run.log" 2>&1 || status=$?
  [ "$status" -eq 1 ] || fail "ferry run with $1: exit $status, expected 1: $(cat "$WORK/run.log")"
  grep -qF -- "$2" "$WORK/run.log" || fail "ferry run with $1: expected '$2' in: $(cat "$WORK/run.log")"
}

run_fails "{\"script\": $(json_string $'function transform(msg)\n  local x = = 1\nend')}" \
  "lua.transform could not be created: script:2: unexpected symbol near '='"
mkdir -p "$WORK/s"
printf 'function transform(msg)\n  if x then\nend\n' >"$WORK/s/bad.lua"
run_fails "{\"file\": \"$WORK/s/bad.lua\"}" "bad.lua:4: 'end' expected (to close 'function' at line 1) near <eof>"
run_fails "{\"file\": \"$WORK/s/missing.lua\"}" "lua.transform could not be created: file: cannot read $WORK/s/missing.lua"
run_fails "{\"script\": \"function transform() end\", \"file\": \"$WORK/s/bad.lua\"}" \
  "set exactly one of script (the Lua text) and file (the path of a Lua file)"
run_fails "{}" "set exactly one of script (the Lua text) and file (the path of a Lua file)"
run_fails "{\"script\": \"function transfrom(msg) end\"}" \
  "script: the script must define a function transform(msg) (transform is nil)"
run_fails "{\"script\": \"while true do end\", \"max_instructions\": 100000}" \
  "script:1: stopped: more than 100000 instructions (max_instructions)"

# ferry check compiles the script too.
config_json "$(lua_channel c "{\"script\": $(json_string $'function transform(msg)\n  local x = = 1\nend')}")" >"$WORK/check.json"
status=0
"$FERRY" check -c "$WORK/check.json" >"$WORK/check.txt" 2>&1 || status=$?
[ "$status" -eq 1 ] || fail "ferry check of a bad script: exit $status: $(cat "$WORK/check.txt")"
grep -qF "/channels/0/transformers/0: lua.transform could not be created: script:2: unexpected symbol near '='" \
  "$WORK/check.txt" || fail "ferry check does not report the syntax error: $(cat "$WORK/check.txt")"

config_json "$(lua_channel c '{"script": "function transform() end", "allow": ["os.exit", "io"], "timeout_ms": 0, "nope": 1}')" \
  >"$WORK/check.json"
status=0
"$FERRY" check -c "$WORK/check.json" >"$WORK/check.txt" 2>&1 || status=$?
[ "$status" -eq 1 ] || fail "ferry check: exit $status: $(cat "$WORK/check.txt")"
for text in "/channels/0/transformers/0/config/allow/0" "/channels/0/transformers/0/config/timeout_ms" \
  "/channels/0/transformers/0/config/nope"; do
  grep -qF "$text" "$WORK/check.txt" || fail "ferry check does not name $text: $(cat "$WORK/check.txt")"
done
grep -qF "/allow/1" "$WORK/check.txt" && fail "io is a valid opt-in: $(cat "$WORK/check.txt")"
echo "PASS"
