# `ferry test` failure reports for each kind of check, and exit status 2 with
# a clear error (naming the file and the JSON pointer) for bad test files,
# configs, channels, destinations and usage.
source "$FERRY_SOURCE_DIR/tests/e2e/lib.sh"

cat >"$WORK/ferry.json" <<JSON
{"engine": {"data_dir": "$WORK/var", "plugin_dirs": ["$FERRY_PLUGIN_DIR"]},
 "plugins": ["file", "hl7"],
 "channels": [{"id": "c",
   "source": {"type": "file.reader", "config": {"directory": "$WORK/in"}},
   "transformers": [{"type": "hl7.transform", "config": {"rules": [{"filter": {"path": "MSH-9.1", "in": ["ADT", "ORM"]}}]}}],
   "destinations": [
     {"id": "plain", "type": "file.writer", "config": {"directory": "$WORK/out"}},
     {"id": "strict", "type": "file.writer", "config": {"directory": "$WORK/out"},
      "transformers": [{"type": "hl7.transform", "config": {"rules": [{"map": {"path": "PID-8", "table": {"M": "M", "F": "F"}, "default": "error"}}]}}]},
     {"id": "json", "type": "file.writer", "config": {"directory": "$WORK/out"},
      "transformers": [{"type": "hl7.to_json"}]}]}]}
JSON
printf 'MSH|^~\\&|A|B|C|D|20260101||ADT^A01|M1|P|2.5\nPID|1||42||DOE^JO||1990|M\n' >"$WORK/lf.hl7"

cat >"$WORK/checks.test.json" <<'JSON'
{"config": "ferry.json", "channel": "c", "cases": [
  {"name": "unexpected error", "input": {"content": "MSH|^~\\&|A|B|C|D|20260101||ADT^A01|M1|P|2.5\rPID|1||42||DOE^JO||1990|X\r"},
   "expect": {"plain": {"hl7": {"PID-3": "42"}}}},
  {"name": "expected error", "input": {"content": "MSH|^~\\&|A|B|C|D|20260101||ADT^A01|M1|P|2.5\rPID|1||42||DOE^JO||1990|X\r"},
   "expect": {"strict": {"error": "no mapping for \"X\""}, "json": {"json": {"/segments/1/fields/7": "X", "/segments/0/name": "MSH"}}}},
  {"name": "content checks", "input": {"content": "MSH|^~\\&|A|B|C|D|20260101||ADT^A01|M1|P|2.5\rPID|1||42||DOE^JO||1990|M\r"},
   "expect": {"plain": {"content_contains": "ZZZ", "equals_file": "lf.hl7"},
              "json": {"content_type": "text/plain", "json": {"/segments/1/fields/99": "x"}}}},
  {"name": "filtered expected, delivered", "input": {"content": "MSH|^~\\&|A|B|C|D|20260101||ORM^O01|M2|P|2.5\rPID|1||42||DOE^JO||1990|M\r"},
   "expect": {"plain": {"filtered": "is not in"}}},
  {"name": "channel error expected, passed", "input": {"content": "MSH|^~\\&|A|B|C|D|20260101||ADT^A01|M3|P|2.5\rPID|1||42||DOE^JO||1990|F\r"},
   "expect_channel_error": "boom"},
  {"name": "channel filter by reason", "input": {"content": "MSH|^~\\&|A|B|C|D|20260101||ORU^R01|M4|P|2.5\r"},
   "expect_channel_filtered": "\"ORU\" is not in [\"ADT\", \"ORM\"]", "expect": {"plain": {"filtered": "ORU"}}}
]}
JSON
status=0
"$FERRY" test "$WORK/checks.test.json" >"$WORK/checks.out" 2>&1 || status=$?
[ $status -eq 1 ] || fail "checks exited $status, expected 1: $(cat "$WORK/checks.out")"
has() {
  python3 -c 'import sys; sys.exit(0 if sys.argv[2] in open(sys.argv[1]).read() else 1)' "$WORK/checks.out" "$1" ||
    fail "output lacks:
$1
--- output ---
$(cat "$WORK/checks.out")"
}
T="$WORK/checks.test.json"
has "  FAIL  unexpected error
    $T: case \"unexpected error\": destination \"strict\": no error
      unexpected error: destination strict transformer 0 (hl7.transform): rule 0 (map PID-8): no mapping for \"X\""
has "  PASS  expected error"
has "    $T: case \"content checks\": destination \"plain\": equals_file lf.hl7
      --- lf.hl7 (expected)
      +++ destination \"plain\" (actual)
      (the line endings differ: expected 2 lines ending in LF; actual 2 lines ending in CR)
      @@ -1,2 +1,2 @@
      -MSH|^~\\&|A|B|C|D|20260101||ADT^A01|M1|P|2.5\\n
      -PID|1||42||DOE^JO||1990|M\\n
      +MSH|^~\\&|A|B|C|D|20260101||ADT^A01|M1|P|2.5\\r
      +PID|1||42||DOE^JO||1990|M\\r"
has "    $T: case \"content checks\": destination \"plain\": content_contains
      expected the content to contain \"ZZZ\"
      actual content (application/hl7-v2, 70 bytes, 2 lines ending in CR):
        | MSH|^~\\&|A|B|C|D|20260101||ADT^A01|M1|P|2.5
        | PID|1||42||DOE^JO||1990|M"
has "    $T: case \"content checks\": destination \"json\": content_type
      expected: \"text/plain\"
      actual:   \"application/json\""
has "    $T: case \"content checks\": destination \"json\": json /segments/1/fields/99
      expected: \"x\"
      actual:   (absent)"
has "    $T: case \"filtered expected, delivered\": destination \"plain\": filtered
      expected: filtered, with a reason containing \"is not in\"
      actual:   delivered"
has "    $T: case \"channel error expected, passed\": channel: expect_channel_error
      expected: failed, with an error containing \"boom\"
      actual:   the message passed the channel transformers"
has "  PASS  channel filter by reason"
grep -qx "ferry test: 2 passed, 4 failed (1 file)" "$WORK/checks.out" || fail "summary: $(cat "$WORK/checks.out")"

# expect_error <file> <fragment>...: exit 2, each fragment on stderr.
expect_error() {
  local file=$1 status=0
  shift
  "$FERRY" test "$file" >"$WORK/err.out" 2>"$WORK/err.err" || status=$?
  [ $status -eq 2 ] || fail "$file exited $status, expected 2: $(cat "$WORK/err.out" "$WORK/err.err")"
  for fragment in "$@"; do
    grep -qF -- "$fragment" "$WORK/err.err" || fail "missing '$fragment' in: $(cat "$WORK/err.err")"
  done
  grep -qF "1 file not run (errors above)" "$WORK/err.out" || fail "summary: $(cat "$WORK/err.out")"
}

cat >"$WORK/bad.test.json" <<'JSON'
{"config": "ferry.json", "channel": "c", "expect": {},
 "cases": [
  {"name": "a", "input": {"content": "x", "file": "x.hl7"},
   "expect": {"plain": {"hl7": {"PID-5..1": "x", "PID-3": 5}, "json": {"a/b": 1}, "filtered": "x", "delivered": true}}},
  {"name": "a", "input": {"file": "missing.hl7"}, "expects": {}},
  {"input": {"content": "x", "metadata": {"k": 1}}, "expect": {"plain": {"delivered": false, "hl7": {"PID-3": "1"}}}}
 ]}
JSON
expect_error "$WORK/bad.test.json" \
  "$WORK/bad.test.json: 13 errors" \
  "/expect: unknown key (expected one of: config, channel, description, cases)" \
  "/cases/0/input: give exactly one of \"content\" and \"file\"" \
  "/cases/0/expect/plain/hl7/PID-5..1: bad HL7 path \"PID-5..1\": expected a component number" \
  "/cases/0/expect/plain/hl7/PID-3: expected a string (or null for \"absent\"), got number" \
  "/cases/0/expect/plain/json/a~1b: not a JSON pointer" \
  "/cases/0/expect/plain/delivered: true contradicts \"filtered\"" \
  "/cases/1/name: \"a\" names another case too" \
  "/cases/1/input/file: $WORK/missing.hl7: cannot open: No such file or directory" \
  "/cases/1/expects: unknown key" \
  "/cases/2/name: missing (a string is required)" \
  "/cases/2/input/metadata/k: expected a string, got number" \
  "/cases/2/expect/plain/delivered: false, but content checks are given for the delivered message"

printf '{"config": "ferry.json", "channel": "c", "cases": [' >"$WORK/truncated.test.json"
expect_error "$WORK/truncated.test.json" "$WORK/truncated.test.json: 1 error" "/: not valid JSON: " "unexpected end of input"

expect_error "$WORK/nothere.test.json" "$WORK/nothere.test.json: 1 error" "/: $WORK/nothere.test.json: cannot open"

printf '{"config": "ferry.json", "channel": "nope", "cases": [{"name": "a", "input": {"content": "x"}}]}' >"$WORK/chan.test.json"
expect_error "$WORK/chan.test.json" "/channel: no channel \"nope\" in $WORK/ferry.json (its channels: c)"

printf '{"config": "ferry.json", "channel": "c", "cases": [{"name": "a", "input": {"content": "x"}, "expect": {"lab": {}}}]}' \
  >"$WORK/dest.test.json"
expect_error "$WORK/dest.test.json" \
  "/cases/0/expect/lab: no destination \"lab\" in channel \"c\" (its destinations: plain, strict, json)"

printf '{"config": "nothing.json", "channel": "c", "cases": [{"name": "a", "input": {"content": "x"}}]}' >"$WORK/cfg.test.json"
expect_error "$WORK/cfg.test.json" "cannot read config file $WORK/nothing.json" \
  "$WORK/cfg.test.json: /config: $WORK/nothing.json is not a valid config (errors above)"

# Bad rules are found when the transformers are created: a config error too.
sed 's/"in": \["ADT", "ORM"\]/"regex": "(["/' "$WORK/ferry.json" >"$WORK/badrules.json"
printf '{"config": "badrules.json", "channel": "c", "cases": [{"name": "a", "input": {"content": "x"}}]}' \
  >"$WORK/rules.test.json"
expect_error "$WORK/rules.test.json" "$WORK/rules.test.json: cannot start the transformers of channel \"c\":" \
  "is not a valid ECMAScript regex"

# An error in one file does not stop the others; it decides the exit status.
status=0
"$FERRY" test "$WORK/chan.test.json" "$WORK/checks.test.json" >"$WORK/mixed.out" 2>/dev/null || status=$?
[ $status -eq 2 ] || fail "error + failure exited $status, expected 2"
grep -qx "ferry test: 2 passed, 4 failed, 1 file not run (errors above) (2 files)" "$WORK/mixed.out" ||
  fail "summary: $(cat "$WORK/mixed.out")"

# Usage.
status=0; "$FERRY" test >/dev/null 2>"$WORK/usage.err" || status=$?
[ $status -eq 2 ] || fail "no file: exit $status, expected 2"
grep -qF "ferry test: no test file given" "$WORK/usage.err" || fail "no-file message: $(cat "$WORK/usage.err")"
status=0; "$FERRY" test --frobnicate x >/dev/null 2>&1 || status=$?
[ $status -eq 2 ] || fail "unknown option: exit $status, expected 2"
status=0; "$FERRY" test --log-level loud "$WORK/checks.test.json" >/dev/null 2>&1 || status=$?
[ $status -eq 2 ] || fail "bad log level: exit $status, expected 2"
"$FERRY" test --help | grep -q "Usage: ferry test" || fail "ferry test --help"

[ ! -e "$WORK/var" ] || fail "ferry test created the data_dir $WORK/var"
echo "PASS"
