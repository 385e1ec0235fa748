# `ferry check` and `ferry plugins` on the file plugin: bad reader and writer
# configs are rejected with JSON-pointer errors, a good one passes, the
# writer's ${...} placeholders are written in the config as they are (the
# loader expands only ${env:...} and ${file:...}), bad templates fail at
# start, and every key the plugin declares is documented.
source "$FERRY_SOURCE_DIR/tests/e2e/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/helpers.sh"

# config <source config> <writer config>
config() {
  cat <<JSON
{
  "engine": $(engine_json),
  "plugins": ["file"],
  "channels": [{"id": "c1", "source": {"type": "file.reader", "config": $1},
                "destinations": [{"id": "d1", "type": "file.writer", "config": $2}]}]
}
JSON
}

# writer <filename>: a writer config into $WORK/out with this filename,
# given in single quotes exactly as it appears in the config file.
writer() { printf '{"directory": "%s", "filename": "%s"}' "$WORK/out" "$1"; }
reader="{\"directory\": \"$WORK/in\"}"

# expect_check_fails <config file> <error fragment>...
expect_check_fails() {
  local cfg=$1 status=0
  shift
  "$FERRY" check -c "$cfg" >"$WORK/check.out" 2>"$WORK/check.err" || status=$?
  [ "$status" -eq 1 ] || fail "ferry check exited $status, expected 1: $(cat "$WORK/check.err")"
  for fragment in "$@"; do
    grep -qF -- "$fragment" "$WORK/check.err" || fail "missing '$fragment' in: $(cat "$WORK/check.err")"
  done
}

# Reader: wrong type, unknown key, missing required key.
config '{"poll_interval_ms": "abc", "bogus": 1}' "{\"directory\": \"$WORK/out\"}" >"$WORK/bad1.json"
expect_check_fails "$WORK/bad1.json" \
  '/channels/0/source/config/poll_interval_ms: expected integer 10..86400000, got "abc"' \
  '/channels/0/source/config/bogus: unknown key' \
  '/channels/0/source/config/directory: required key is missing'

# Reader ranges and types; writer enum and types.
config "{\"poll_interval_ms\": 5, \"own_timer\": \"yes\", \"max_in_flight\": 0,
         \"min_age_ms\": -1, \"max_file_size\": 0, \"directory\": \"\"}" \
  '{"mode": "sideways", "fsync": 1}' >"$WORK/bad2.json"
expect_check_fails "$WORK/bad2.json" \
  '/channels/0/source/config/poll_interval_ms: expected integer 10..86400000, got 5' \
  '/channels/0/source/config/own_timer: expected boolean' \
  '/channels/0/source/config/max_in_flight: expected integer 1..1000000, got 0' \
  '/channels/0/source/config/min_age_ms: expected integer 0..86400000, got -1' \
  '/channels/0/source/config/max_file_size: expected integer 1..1073741824, got 0' \
  '/channels/0/source/config/directory: expected string of length >= 1' \
  '/channels/0/destinations/0/config/mode: expected string (one of "overwrite", "append", "fail_if_exists")' \
  '/channels/0/destinations/0/config/fsync: expected boolean' \
  '/channels/0/destinations/0/config/directory: required key is missing'

# The loader expands only ${env:NAME} and ${file:PATH}; every other ${...}
# is left for the component. So all of the writer's placeholders are written
# in the config file as they are, with no escaping, and `ferry check` passes
# (with every default filled in).
all='${message_id}_${timestamp}_${date}_${meta:filename}_${meta:size}_${uuid}.hl7'
config "$reader" "$(writer "$all")" >"$WORK/good.json"
grep -qF "\"filename\": \"$all\"" "$WORK/good.json" || fail "test bug: good.json is $(cat "$WORK/good.json")"
"$FERRY" check -c "$WORK/good.json" >"$WORK/check.out" 2>&1 || fail "good config rejected: $(cat "$WORK/check.out")"
grep -qF "OK (1 plugin(s), 1 channel(s), 1 enabled)" "$WORK/check.out" || fail "unexpected: $(cat "$WORK/check.out")"
config "$reader" "$(writer '${meta:filename}')" >"$WORK/meta.json"
"$FERRY" check -c "$WORK/meta.json" >"$WORK/check.out" 2>&1 || fail "\${meta:filename} rejected: $(cat "$WORK/check.out")"

# Errors only the plugin can see are reported when ferry starts. The loader
# passes templates through untouched, so the plugin names them as written.
expect_run_fails() {
  local status=0
  timeout 20 "$FERRY" run -c "$1" >"$WORK/run.log" 2>&1 || status=$?
  [ "$status" -eq 1 ] || fail "ferry run exited $status, expected 1: $(cat "$WORK/run.log")"
  grep -qF -- "$2" "$WORK/run.log" || fail "missing '$2' in: $(cat "$WORK/run.log")"
}
config "$reader" "$(writer '${nope}.txt')" >"$WORK/bad4.json"
# ferry check creates every component (never starts it), so what only the
# plugin can judge fails the check too, naming the JSON path.
if "$FERRY" check -c "$WORK/bad4.json" >"$WORK/check4.log" 2>&1; then fail "ferry check accepted \${nope}"; fi
grep -qF '/channels/0/destinations/0: file.writer could not be created: filename "${nope}.txt": unknown placeholder ${nope}' \
  "$WORK/check4.log" || fail "ferry check output: $(cat "$WORK/check4.log")"
[ ! -e "$WORK/out" ] || fail "ferry check created the writer's directory"
expect_run_fails "$WORK/bad4.json" 'unknown placeholder ${nope}'
config "$reader" "$(writer 'sub/${uuid}')" >"$WORK/bad5.json"
expect_run_fails "$WORK/bad5.json" "contains '/'"
config "{\"directory\": \"$WORK/in\", \"done_directory\": \"$WORK/in/\"}" "{\"directory\": \"$WORK/out\"}" >"$WORK/bad6.json"
expect_run_fails "$WORK/bad6.json" "done_directory must differ from directory"
config "$reader" "$(writer '${meta:filename')" >"$WORK/bad7.json"
expect_run_fails "$WORK/bad7.json" '${meta:filename\" has an unterminated'

# At run time, references and placeholders mixed in one string: the loader
# fills in ${env:...}, the writer fills in ${meta:filename} and ${message_id}.
mkdir -p "$WORK/in"
export FERRY_E2E_SITE=north
config "{\"directory\": \"$WORK/in\", \"min_age_ms\": 0, \"poll_interval_ms\": 50}" \
  "$(writer '${env:FERRY_E2E_SITE}-${meta:filename}-${message_id}.out')" >"$WORK/mixed.json"
start_ferry "$WORK/mixed.json"
drop "$WORK/in" a.txt "alpha"
wait_for 15 file_count_is "$WORK/out" 1 || fail "a.txt not delivered: $(ls -A "$WORK/out" 2>&1)"
name=$(basename "$(find "$WORK/out" -maxdepth 1 -type f ! -name '.*')")
[[ "$name" =~ ^north-a\.txt-[1-9][0-9]*\.out$ ]] || fail "template gave '$name'"
has_content "$WORK/out/$name" "alpha" || fail "$name has the wrong content"
stop_ferry

# `ferry plugins`: both components with exactly the documented keys.
"$FERRY" plugins --plugin-dir "$FERRY_PLUGIN_DIR" --json >"$WORK/plugins.json" || fail "ferry plugins failed"
# One line per component: "<type> <kind> <key>=<default as JSON>..." (python3
# is what CI installs for JSON work).
python3 - "$WORK/plugins.json" >"$WORK/keys.txt" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
for plugin in doc["plugins"]:
    if plugin["name"] != "file":
        continue
    for c in plugin["components"]:
        keys = " ".join(k["name"] + "=" + (json.dumps(k["default"]) if "default" in k else "")
                        for k in sorted(c["config"], key=lambda k: k["name"]))
        print(c["type"], c["kind"], keys)
PY
components=$(cut -d' ' -f1-2 "$WORK/keys.txt" | sort | tr '\n' ',')
[ "$components" = "file.reader source,file.writer destination," ] || fail "components: $components"
grep -qxF 'file.reader source content_type="text/plain" directory= done_directory="" error_directory="" max_file_size=67108864 max_in_flight=100 min_age_ms=500 own_timer=true pattern="*" poll_interval_ms=1000' "$WORK/keys.txt" ||
  fail "reader keys/defaults: $(grep file.reader "$WORK/keys.txt")"
grep -qxF 'file.writer destination create_directory=true directory= filename="${message_id}.msg" fsync=true mode="overwrite"' "$WORK/keys.txt" ||
  fail "writer keys/defaults: $(grep file.writer "$WORK/keys.txt")"

# Every key, with its default, appears in the README and the reference doc.
read -ra pairs <<<"$(cut -d' ' -f3- "$WORK/keys.txt" | tr '\n' ' ')"  # read: no globbing of "*"
for pair in "${pairs[@]}"; do
  key=${pair%%=*}
  default=${pair#*=}
  for doc in "$FERRY_SOURCE_DIR/plugins/file/README.md" "$FERRY_SOURCE_DIR/docs/plugins/file.md"; do
    grep -qF "\`$key\`" "$doc" || fail "$doc does not document key $key"
    # Defaults are written as JSON in the docs, e.g. `"*"`, `1000`, `true`.
    [ -z "$default" ] || grep -qF "\`$default\`" "$doc" || fail "$doc does not give the default $default of $key"
  done
done
echo "PASS"
