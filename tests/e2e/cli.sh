# The CLI contract: --version, --help, check exit codes and messages, plugins listing.
source "$FERRY_SOURCE_DIR/tests/e2e/lib.sh"

out=$("$FERRY" --version)
[[ "$out" =~ ^ferry\ [0-9]+\.[0-9]+\.[0-9]+\ \(plugin\ ABI\ 1\.0\)$ ]] || fail "--version printed: $out"

"$FERRY" --help | grep -q "check" || fail "--help lacks the command list"
for cmd in run check plugins; do
  "$FERRY" $cmd --help | grep -q "Usage: ferry $cmd" || fail "ferry $cmd --help"
done
status=0; "$FERRY" frobnicate >/dev/null 2>&1 || status=$?
[ $status -eq 2 ] || fail "unknown command must exit 2, got $status"
status=0; "$FERRY" check --no-such-option >/dev/null 2>&1 || status=$?
[ $status -eq 2 ] || fail "unknown option must exit 2, got $status"

# A valid config: exit 0.
cat >"$WORK/good.json" <<JSON
{"engine": {"plugin_dirs": ["$FERRY_TEST_PLUGIN_DIR"]},
 "plugins": ["testkit"],
 "channels": [{"id": "c", "source": {"type": "testkit.counter"},
               "destinations": [{"id": "d", "type": "testkit.sink", "config": {"path": "$WORK/out.txt"}}]}]}
JSON
"$FERRY" check -c "$WORK/good.json" >"$WORK/check.out" 2>&1 || fail "check of a good config failed: $(cat "$WORK/check.out")"
grep -q "OK (1 plugin(s), 1 channel(s), 1 enabled)" "$WORK/check.out" || fail "check output: $(cat "$WORK/check.out")"

# A config with several errors: exit 1, every error printed with its path and the file name.
unset FERRY_E2E_UNSET || true
cat >"$WORK/bad.json" <<JSON
{"engine": {"plugin_dirs": ["$FERRY_TEST_PLUGIN_DIR"], "workers": "many"},
 "plugins": ["testkit", "broken_major"],
 "channels": [{"id": "c", "source": {"type": "testkit.counter", "config": {"count": "abc"}},
               "destinations": [{"id": "d", "type": "testkit.sink",
                                 "config": {"path": "\${env:FERRY_E2E_UNSET}", "speed": 1}}]}]}
JSON
status=0; "$FERRY" check -c "$WORK/bad.json" >"$WORK/bad.out" 2>&1 || status=$?
[ $status -eq 1 ] || fail "check of a bad config must exit 1, got $status"
for expected in \
  "$WORK/bad.json: 5 errors" \
  "/engine/workers: expected integer 1..64, got \"many\"" \
  "/plugins/1: $FERRY_TEST_PLUGIN_DIR/broken_major.so: built for Ferry plugin ABI 2.0, but this host speaks ABI 1.0" \
  "/channels/0/source/config/count: expected integer >= 0, got \"abc\"" \
  "/channels/0/destinations/0/config/path: environment variable FERRY_E2E_UNSET is not set" \
  "/channels/0/destinations/0/config/speed: unknown key"; do
  grep -qF -- "$expected" "$WORK/bad.out" || fail "missing '$expected' in: $(cat "$WORK/bad.out")"
done

# run refuses an invalid config the same way, before starting anything.
status=0; "$FERRY" run -c "$WORK/bad.json" >/dev/null 2>&1 || status=$?
[ $status -eq 1 ] || fail "run of a bad config must exit 1, got $status"

# plugins --json describes components and their config schema.
"$FERRY" plugins --json --plugin-dir "$FERRY_TEST_PLUGIN_DIR" >"$WORK/plugins.json" 2>/dev/null || true
python3 - "$WORK/plugins.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
plugins = {p["name"]: p for p in doc["plugins"]}
tk = plugins["testkit"]
assert tk["abi"] == "1.0" and tk["version"] == "1.0.0" and tk["file"].endswith("/testkit.so"), tk
kinds = {c["type"]: c["kind"] for c in tk["components"]}
assert kinds == {"testkit.counter": "source", "testkit.every": "scheduler",
                 "testkit.tag": "transformer", "testkit.sink": "destination",
                 "testkit.rogue": "destination"}, kinds
sink = next(c for c in tk["components"] if c["type"] == "testkit.sink")
path = next(k for k in sink["config"] if k["name"] == "path")
assert path["type"] == "string" and path["required"] is True and path["description"], path
retry = next(k for k in sink["config"] if k["name"] == "retry_first")
assert retry["default"] == 0 and retry["min"] == 0, retry
tag = next(c for c in tk["components"] if c["type"] == "testkit.tag")
mode = next(k for k in tag["config"] if k["name"] == "mode")
assert mode["allowed"] == ["append", "replace"], mode
errors = {e["file"].rsplit("/", 1)[1]: e["error"] for e in doc["errors"]}
assert "not a Ferry plugin" in errors["broken_no_entry.so"], errors
assert "abi10" in plugins
PY
[ $? -eq 0 ] || fail "plugins --json content"

# The text listing shows the same facts.
# It exits 1 here because the folder also holds the deliberately broken plugins.
status=0; "$FERRY" plugins --plugin-dir "$FERRY_TEST_PLUGIN_DIR" >"$WORK/plugins.txt" 2>"$WORK/plugins.err" || status=$?
[ $status -eq 1 ] || fail "plugins with broken files must exit 1, got $status"
grep -q "testkit.sink  \[destination 1.0.0\]" "$WORK/plugins.txt" || fail "plugins text listing: $(cat "$WORK/plugins.txt")"
grep -q "path  string of length >= 1, required" "$WORK/plugins.txt" || fail "plugins text lacks key details"
grep -q "broken_no_entry.so: not a Ferry plugin" "$WORK/plugins.err" || fail "plugins text lacks the broken file"
echo "cli: ok"
