# Runs missed while ferry was down: with missed "run_once" the first missed
# fire runs at once on restart (one catch-up, however many were missed);
# with "skip" (the default) nothing runs until the next fire time. Both
# then go on as scheduled. Needs the host to keep each channel's last fire
# time in its store (it asks the scheduler from there on restart).
#
# Timeline, F1 = the first fire (interval_ms 8000 fires on multiples of 8 s):
#   F1     both channels fire; ferry stops right after
#   F1+8   F2 is missed (ferry is down)
#   F1+10  ferry starts again: run_once fires F2 at once, skip waits
#   F1+16  F3: both fire
source "$FERRY_SOURCE_DIR/tests/e2e/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/helpers.sh"

channel() {  # channel <id> <missed>
  cat <<JSON
    {
      "id": "$1",
      "source": {"type": "cron.message", "config": {"content": "\${iso_time}"},
                 "schedule": {"type": "cron.schedule", "config": {"interval_ms": 8000, "missed": "$2"}}},
      "destinations": [{"id": "out", "type": "testkit.sink", "config": {"path": "$WORK/$1.txt"}}]
    }
JSON
}
cat >"$WORK/ferry.json" <<JSON
{
  "engine": $(engine_json),
  "plugins": ["cron", "testkit"],
  "channels": [
$(channel once run_once),
$(channel skip skip)
  ]
}
JSON

start_ferry "$WORK/ferry.json"
wait_for 15 bash -c "[ -s '$WORK/once.txt' ] && [ -s '$WORK/skip.txt' ]" || fail "the first fire did not come"
f1=$(( $(now_ms) / 8000 * 8000 ))
stop_ferry
[ "$(lines_in "$WORK/once.txt")" -eq 1 ] && [ "$(lines_in "$WORK/skip.txt")" -eq 1 ] ||
  fail "expected one message per channel before the stop"
[ "$(now_ms)" -lt $((f1 + 8000)) ] || fail "stopping took too long for this test's timeline"

sleep_until_ms $((f1 + 10000))
start_ferry "$WORK/ferry.json"
sleep_until_ms $((f1 + 14500))
[ "$(now_ms)" -lt $((f1 + 16000)) ] || fail "starting took too long for this test's timeline"
[ "$(lines_in "$WORK/once.txt")" -eq 2 ] || fail "run_once: $(lines_in "$WORK/once.txt") messages before F3, expected 2"
[ "$(lines_in "$WORK/skip.txt")" -eq 1 ] || fail "skip: $(lines_in "$WORK/skip.txt") messages before F3, expected 1"
grep -q 'channel=once msg="missed fire time .* while stopped: running it once now (missed: run_once)"' "$WORK/ferry.log" ||
  fail "run_once: the catch-up run was not logged"
grep -q 'channel=skip msg="missed fire time .* while stopped: skipped (missed: skip)"' "$WORK/ferry.log" ||
  fail "skip: the skipped run was not logged"

# F3 comes for both, and run_once does not catch up a second time.
sleep_until_ms $((f1 + 18000))
stop_ferry
[ "$(lines_in "$WORK/once.txt")" -eq 3 ] || fail "run_once: $(lines_in "$WORK/once.txt") messages after F3, expected 3"
[ "$(lines_in "$WORK/skip.txt")" -eq 2 ] || fail "skip: $(lines_in "$WORK/skip.txt") messages after F3, expected 2"
echo "PASS"
