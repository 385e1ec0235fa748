# run_on_start fires once right after each start, even when the expression
# itself fires only once a year; a schedule without it stays quiet.
source "$FERRY_SOURCE_DIR/tests/e2e/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/helpers.sh"

cat >"$WORK/ferry.json" <<JSON
{
  "engine": $(engine_json),
  "plugins": ["cron", "testkit"],
  "channels": [
    {
      "id": "on_start",
      "source": {"type": "cron.message", "config": {"content": "started \${iso_time}"},
                 "schedule": {"type": "cron.schedule", "config": {"cron": "@yearly", "run_on_start": true}}},
      "destinations": [{"id": "out", "type": "testkit.sink", "config": {"path": "$WORK/on_start.txt"}}]
    },
    {
      "id": "quiet",
      "source": {"type": "cron.message", "config": {"content": "yearly"},
                 "schedule": {"type": "cron.schedule", "config": {"cron": "@yearly"}}},
      "destinations": [{"id": "out", "type": "testkit.sink", "config": {"path": "$WORK/quiet.txt"}}]
    }
  ]
}
JSON

for run in 1 2; do
  start_ferry "$WORK/ferry.json"
  wait_lines "$WORK/on_start.txt" "$run" 10 || fail "run $run: run_on_start did not fire"
  sleep 2  # a second fire would show up here
  [ "$(lines_in "$WORK/on_start.txt")" -eq "$run" ] || fail "run $run: fired $(lines_in "$WORK/on_start.txt") times"
  stop_ferry
done
[ "$(lines_in "$WORK/quiet.txt")" -eq 0 ] || fail "the schedule without run_on_start fired"
grep -q '^started 20' "$WORK/on_start.txt" || fail "unexpected content: $(cat "$WORK/on_start.txt")"
echo "PASS"
