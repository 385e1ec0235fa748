# A poll slower than the schedule never piles up: fires that come while the
# poll still runs are skipped, not queued, so every poll starts on a fire
# time well after the previous one ended, and polls never overlap.
source "$FERRY_SOURCE_DIR/tests/e2e/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/helpers.sh"

cat >"$WORK/ferry.json" <<JSON
{
  "engine": $(engine_json '"workers": 4'),
  "plugins": ["cron", "slowpoll", "testkit"],
  "channels": [
    {
      "id": "slow",
      "source": {"type": "slowpoll.source", "config": {"sleep_ms": 2500, "log": "$WORK/polls.txt"},
                 "schedule": {"type": "cron.schedule", "config": {"cron": "* * * * * *"}}},
      "destinations": [{"id": "out", "type": "testkit.sink", "config": {"path": "$WORK/unused.txt"}}]
    }
  ]
}
JSON

start_ferry "$WORK/ferry.json"
wait_lines "$WORK/polls.txt" 3 20 || fail "fewer than 3 polls finished"
stop_ferry

# Fires every second, each poll takes 2.5 s: a queued fire would start right
# as the previous poll ends; a skipped one leaves the rest of the second.
prev_end=0
while read -r start end; do
  if [ "$prev_end" -gt 0 ]; then
    gap=$((start - prev_end))
    [ "$gap" -ge 250 ] || fail "a poll started ${gap} ms after the previous one ended (piled up): $(cat "$WORK/polls.txt")"
  fi
  [ $((end - start)) -ge 2500 ] || fail "a poll was cut short: $start $end"
  prev_end=$end
done <"$WORK/polls.txt"
grep -q "previous poll still running; this run is skipped" "$WORK/ferry.log" || fail "skipped fires not logged"
echo "PASS"
