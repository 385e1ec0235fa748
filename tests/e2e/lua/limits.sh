# Runaway scripts in a real ferry run: an endless loop stopped by
# max_instructions, one stopped by timeout_ms, a memory bomb stopped by
# max_memory_mb. Each fails only its own message (recorded with the limit's
# text), the next message of the same channel is served by a rebuilt
# state, and another channel keeps being served while a script loops.
source "$FERRY_SOURCE_DIR/tests/e2e/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/helpers.sh"

runaway=$(json_string 'served = 0
function transform(msg)
  served = served + 1
  if msg.content == "loop" then
    log.info("looping on " .. msg.meta.filename)
    while true do end
  elseif msg.content == "bomb" then
    local t = {}
    for i = 1, 1e9 do t[i] = string.rep("x", 1000) .. i end
  end
  msg.content = "served " .. served
end')
plain=$(json_string 'function transform(msg) msg.content = msg.content:upper() end')
config_json \
  "$(lua_channel count "{\"script\": $runaway, \"max_instructions\": 2000000}")" \
  "$(lua_channel clock "{\"script\": $runaway, \"max_instructions\": 1000000000000, \"timeout_ms\": 4000}")" \
  "$(lua_channel memory "{\"script\": $runaway, \"max_memory_mb\": 16, \"max_instructions\": 1000000000000, \"timeout_ms\": 20000}")" \
  "$(lua_channel other "{\"script\": $plain}")" \
  >"$WORK/ferry.json"
start_ferry "$WORK/ferry.json"

# While clock's script loops (4 s), the other channel is served.
drop clock loop "loop"
wait_for 10 grep -q "looping on loop" "$WORK/ferry.log" || fail "the clock loop did not start"
started=$SECONDS
drop other a "while clock loops"
expect_output other a "WHILE CLOCK LOOPS"
taken clock loop && fail "clock's loop ended before the other channel was served (not meanwhile)"
echo "other channel served $((SECONDS - started)) s after the loop started"
wait_taken clock loop 20
drop clock after "after"
wait_taken clock after

drop count loop "loop"
wait_taken count loop
drop count after "after"
drop memory bomb "bomb"
wait_taken memory bomb 30
drop memory after "after"
wait_taken count after
wait_taken memory after
store_snapshot

T='transformer 0 (lua.transform): '
expect_stored count loop error "${T}script:6: stopped: more than 2000000 instructions (max_instructions)"
expect_stored clock loop error "${T}script:6: stopped: ran longer than 4000 ms (timeout_ms)"
expect_stored memory bomb error "${T}stopped: the script needs more than 16 MB of memory (max_memory_mb)"
# A fresh state served the next message: its count started again.
expect_output count after "served 1"
expect_output clock after "served 1"
expect_output memory after "served 1"
grep -q "state was rebuilt after a limit stopped it" "$WORK/ferry.log" || fail "no rebuild logged"
kill -0 "$FERRY_PID" || fail "ferry died"
stop_ferry
echo "PASS"
