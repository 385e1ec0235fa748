# Helpers shared by the lua plugin's e2e tests; source after lib.sh.
#
# Each channel reads files from $WORK/<id>/in with file.reader, runs one
# lua.transform, and writes the result with file.writer to $WORK/<id>/out
# under the input's file name. The channels answer the reader once the
# transformer ran ("response": {"when": "transformed"}), so a filtered input
# lands in $WORK/<id>/done and a failed one in $WORK/<id>/error.

# lua_channel <id> <lua.transform config JSON>
lua_channel() {
  mkdir -p "$WORK/$1/in"
  cat <<JSON
{
  "id": "$1",
  "response": {"when": "transformed"},
  "source": {"type": "file.reader", "config": {
    "directory": "$WORK/$1/in", "done_directory": "$WORK/$1/done", "error_directory": "$WORK/$1/error",
    "poll_interval_ms": 50, "min_age_ms": 0}},
  "transformers": [{"type": "lua.transform", "config": $2}],
  "destinations": [{"id": "out", "type": "file.writer",
    "config": {"directory": "$WORK/$1/out", "filename": "\${meta:filename}", "fsync": false}}]
}
JSON
}

# config_json <channel JSON>...: a whole config with these channels.
config_json() {
  local IFS=,
  printf '{"engine": {"data_dir": "%s", "plugin_dirs": ["%s"], "shutdown_timeout_ms": 5000}, "plugins": ["file", "lua"], "channels": [%s]}\n' \
    "$WORK/var" "$FERRY_PLUGIN_DIR" "$*"
}

# json_string <text>: the text as a JSON string (for inline scripts).
json_string() { python3 -c 'import json, sys; print(json.dumps(sys.argv[1]))' "$1"; }

# drop <channel> <name> <content>: write under a hidden name, then rename
# into the channel's inbox, as a well-behaved producer does.
drop() {
  printf '%s' "$3" >"$WORK/$1/in/.$2.part"
  mv "$WORK/$1/in/.$2.part" "$WORK/$1/in/$2"
}

has_content() { [ -f "$1" ] && cmp -s "$1" <(printf '%s' "$2"); }

# The input went through the channel (to done/ or error/).
taken() { [ -f "$WORK/$1/done/$2" ] || [ -f "$WORK/$1/error/$2" ]; }
wait_taken() { wait_for "${3:-15}" taken "$1" "$2" || fail "$1/$2 was not taken: $(ls -A "$WORK/$1/in" 2>&1)"; }

# expect_output <channel> <name> <bytes>: the writer wrote exactly these bytes.
expect_output() {
  wait_for 10 has_content "$WORK/$1/out/$2" "$3" ||
    fail "$1/out/$2: expected $(printf '%q' "$3"), got $(printf '%q' "$(cat "$WORK/$1/out/$2" 2>&1)")"
}

# store_snapshot: save `ferry messages list --json` for expect_stored and
# store_meta; call it again to see later changes.
store_snapshot() {
  "$FERRY" messages list --json --limit 1000 --data-dir "$WORK/var" >"$WORK/list.json" ||
    fail "ferry messages list failed: $(cat "$WORK/list.json")"
}

# expect_stored <channel> <filename> <message status> [<error>]: the store
# has the message with this status (transformed, filtered or error) and
# exactly this error text (a filter reason or an error). With
# EXPECT_MATCH=1 the error is a shell pattern (Lua shortens long file
# paths in positions to "...<end of the path>").
expect_stored() {
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

# store_meta <channel> <filename> <key>: a metadata value of the message.
store_meta() {
  python3 - "$WORK/list.json" "$@" <<'PY'
import json, sys
path, channel, name, key = sys.argv[1:5]
rows = [m for m in json.load(open(path)) if m["channel"] == channel and m["metadata"].get("filename") == name]
print(rows[0]["metadata"].get(key, "") if len(rows) == 1 else "(%d messages)" % len(rows))
PY
}
