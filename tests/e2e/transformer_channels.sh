# Channels for transformer e2e tests (hl7, lua); source after lib.sh, with
# TRANSFORMER_PLUGIN set to the plugin under test.
#
# Each channel reads files from $WORK/<id>/in with file.reader, runs the
# given transformers, and writes the result with file.writer to
# $WORK/<id>/out under the input's file name. The channels answer the reader
# once the transformers ran ("response": {"when": "transformed"}), so a
# filtered input lands in $WORK/<id>/done and a failed one in $WORK/<id>/error.
# Configs are written with unquoted heredocs (for $WORK): \${...} there is
# for bash only, the file holds ${...} as a user writes it.

engine_json() {
  printf '{"data_dir": "%s", "plugin_dirs": ["%s", "%s"], "shutdown_timeout_ms": 5000}' \
    "$WORK/var" "$FERRY_PLUGIN_DIR" "$FERRY_TEST_PLUGIN_DIR"
}

# channel_json <id> <transformers JSON array>
channel_json() {
  mkdir -p "$WORK/$1/in"
  cat <<JSON
{
  "id": "$1",
  "response": {"when": "transformed"},
  "source": {"type": "file.reader", "config": {
    "directory": "$WORK/$1/in", "done_directory": "$WORK/$1/done", "error_directory": "$WORK/$1/error",
    "poll_interval_ms": 50, "min_age_ms": 0}},
  "transformers": $2,
  "destinations": [{"id": "out", "type": "file.writer",
    "config": {"directory": "$WORK/$1/out", "filename": "\${meta:filename}", "fsync": false}}]
}
JSON
}

# config_json <channel JSON>...: a whole config with these channels.
config_json() {
  local IFS=,
  printf '{"engine": %s, "plugins": ["file", "%s"], "channels": [%s]}\n' "$(engine_json)" "$TRANSFORMER_PLUGIN" "$*"
}

# drop <channel> <name> <content>: write under a hidden name, then rename
# into the channel's inbox, as a well-behaved producer does.
drop() {
  printf '%s' "$3" >"$WORK/$1/in/.$2.part"
  mv "$WORK/$1/in/.$2.part" "$WORK/$1/in/$2"
}

# True when a file exists with exactly these bytes.
has_content() { [ -f "$1" ] && cmp -s "$1" <(printf '%s' "$2"); }

# The input went through the channel (to done/ or error/).
taken() { [ -f "$WORK/$1/done/$2" ] || [ -f "$WORK/$1/error/$2" ]; }
wait_taken() { wait_for "${3:-15}" taken "$1" "$2" || fail "$1/$2 was not taken: $(ls -A "$WORK/$1/in" 2>&1)"; }

# expect_output <channel> <name> <bytes>: the writer wrote exactly these bytes.
expect_output() {
  wait_for 10 has_content "$WORK/$1/out/$2" "$3" ||
    fail "$1/out/$2: expected $(printf '%q' "$3"), got $(printf '%q' "$(cat "$WORK/$1/out/$2" 2>&1)")"
}

# store_snapshot: save `ferry messages list --json` (every channel) for the
# store_get calls that follow; call it again to see later changes.
store_snapshot() {
  "$FERRY" messages list --json --limit 1000 --data-dir "$WORK/var" >"$WORK/list.json" ||
    fail "ferry messages list failed: $(cat "$WORK/list.json")"
}

# store_get <channel> <filename> <key>: a field of that message in the
# snapshot (id, status, message_status, error, or meta.KEY).
store_get() {
  [ -f "$WORK/list.json" ] || store_snapshot
  python3 - "$WORK/list.json" "$1" "$2" "$3" <<'PY'
import json, sys
_, path, channel, name, key = sys.argv
rows = [m for m in json.load(open(path)) if m["channel"] == channel and m["metadata"].get("filename") == name]
if len(rows) != 1:
    sys.exit("expected one stored message %s/%s, found %d" % (channel, name, len(rows)))
print(rows[0]["metadata"].get(key[5:], "") if key.startswith("meta.") else rows[0].get(key, ""))
PY
}

# expect_stored <channel> <filename> <message status> [<error>]: the store
# has the message with this status (transformed, filtered or error) and
# exactly this error text (a filter reason or an error). With
# EXPECT_MATCH=1 the error is a shell pattern (Lua shortens long file
# paths in positions to "...<end of the path>").
expect_stored() {
  [ -f "$WORK/list.json" ] || store_snapshot
  EXPECT_MATCH=${EXPECT_MATCH:-0} python3 - "$WORK/list.json" "$@" <<'PY' || fail "stored message $1/$2 is not as expected"
import fnmatch, json, os, sys
path, channel, name, status = sys.argv[1:5]
error = sys.argv[5] if len(sys.argv) > 5 else ""
rows = [m for m in json.load(open(path)) if m["channel"] == channel and m["metadata"].get("filename") == name]
if len(rows) != 1:
    sys.exit("expected one stored message %s/%s, found %d" % (channel, name, len(rows)))
got = (rows[0]["message_status"], rows[0].get("error", ""))
same = fnmatch.fnmatchcase(got[1], error) if os.environ["EXPECT_MATCH"] == "1" else got[1] == error
if got[0] != status or not same:
    sys.exit("%s/%s: stored\n  %r, expected\n  %r" % (channel, name, got, (status, error)))
PY
}
