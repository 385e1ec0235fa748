# The sandbox in a real ferry run. Each message's content is Lua code that
# the channel's script runs with load() (text only, in the sandbox): escape
# attempts (os.execute, io.open, require, loading bytecode, string.dump,
# reaching the string metatable, a __gc finalizer) fail that message with a
# clear error and leave no trace; messages after them are served. A second
# channel shows an admin opt-in (os.time, os.date) and that it stops there.
source "$FERRY_SOURCE_DIR/tests/e2e/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/helpers.sh"

runner=$(json_string 'function transform(msg)
  local attempt = assert(load(msg.content, "=attempt"))
  msg.content = tostring(attempt())
end')
config_json \
  "$(lua_channel box "{\"script\": $runner}")" \
  "$(lua_channel optin "{\"script\": $runner, \"allow\": [\"os.time\", \"os.date\"]}")" \
  >"$WORK/ferry.json"
start_ferry "$WORK/ferry.json"

MARK="$WORK/escaped"
drop box 1-execute.lua "os.execute('touch $MARK')"
drop box 2-io.lua "return io.open('/etc/hostname'):read('a')"
drop box 3-require.lua "return require('os').execute('touch $MARK')"
drop box 4-bytecode.lua "return load(string.char(27) .. 'LuaT', 'x', 'b')"
drop box 5-bytecode-text.lua "local f, err = load(string.char(27) .. 'LuaT') error(err, 0)"
drop box 6-dump.lua "return string.dump(print)"
drop box 7-strmeta.lua "getmetatable('').__index.format = nil"
drop box 8-gc.lua "setmetatable({}, {__gc = function() os.exit(1) end})"
drop box 9-ok.lua "return ('still ' .. 'serving'):upper()"
drop optin time.lua "return os.date('!%Y-%m-%d', 0) .. ' ' .. type(os.time())"
drop optin exec.lua "os.execute('touch $MARK')"
for f in 1-execute 2-io 3-require 4-bytecode 5-bytecode-text 6-dump 7-strmeta 8-gc 9-ok; do wait_taken box $f.lua; done
for f in time exec; do wait_taken optin $f.lua; done
store_snapshot

T='transformer 0 (lua.transform): '
expect_stored box 1-execute.lua error "${T}attempt:1: attempt to index a nil value (global 'os')"
expect_stored box 2-io.lua error "${T}attempt:1: attempt to index a nil value (global 'io')"
expect_stored box 3-require.lua error "${T}attempt:1: attempt to call a nil value (global 'require')"
expect_stored box 4-bytecode.lua error "${T}attempt:1: load: only text chunks can be loaded (mode \"t\"), not bytecode"
expect_stored box 5-bytecode-text.lua error "${T}attempt:1: attempt to load a binary chunk (mode is 't')"
expect_stored box 6-dump.lua error "${T}attempt:1: attempt to call a nil value (field 'dump')"
expect_stored box 7-strmeta.lua error "${T}attempt:1: attempt to index a boolean value"
expect_stored box 8-gc.lua error "${T}attempt:1: setmetatable: __gc (finalizers) is not allowed in the sandbox"
expect_output box 9-ok.lua 'STILL SERVING'
expect_output optin time.lua '1970-01-01 number'
expect_stored optin exec.lua error "${T}attempt:1: attempt to call a nil value (field 'execute')"
[ ! -e "$MARK" ] || fail "a script escaped the sandbox: $MARK exists"
for f in 1-execute 2-io 3-require 4-bytecode 5-bytecode-text 6-dump 7-strmeta 8-gc; do
  [ -f "$WORK/box/error/$f.lua" ] && [ ! -e "$WORK/box/out/$f.lua" ] || fail "$f.lua: not failed as it should"
done
kill -0 "$FERRY_PID" || fail "ferry died"
stop_ferry
echo "PASS"
