# Helpers shared by the lua plugin's e2e tests; source after lib.sh.
TRANSFORMER_PLUGIN=lua
source "$FERRY_SOURCE_DIR/tests/e2e/transformer_channels.sh"

# lua_channel <id> <lua.transform config JSON>
lua_channel() { channel_json "$1" "[{\"type\": \"lua.transform\", \"config\": $2}]"; }

# json_string <text>: the text as a JSON string (for inline scripts).
json_string() { python3 -c 'import json, sys; print(json.dumps(sys.argv[1]))' "$1"; }

# store_meta <channel> <filename> <key>: a metadata value of the message.
store_meta() { store_get "$1" "$2" "meta.$3"; }
