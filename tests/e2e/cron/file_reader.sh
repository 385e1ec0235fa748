# A 6-field cron schedule (every second, in a real zone) drives file.reader
# with its own timer off: files dropped into the folder reach file.writer,
# round after round, and only the schedule makes the reader scan.
source "$FERRY_SOURCE_DIR/tests/e2e/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/helpers.sh"

mkdir -p "$WORK/in"
cat >"$WORK/ferry.json" <<JSON
{
  "engine": $(engine_json),
  "plugins": ["cron", "file"],
  "channels": [
    {
      "id": "scheduled",
      "source": {"type": "file.reader",
                 "config": {"directory": "$WORK/in", "own_timer": false, "min_age_ms": 0},
                 "schedule": {"type": "cron.schedule",
                              "config": {"cron": "* * * * * *", "timezone": "Europe/Berlin"}}},
      "destinations": [{"id": "out", "type": "file.writer",
                        "config": {"directory": "$WORK/out", "filename": "\${meta:filename}"}}]
    }
  ]
}
JSON

start_ferry "$WORK/ferry.json"
grep -qF "fires on cron '* * * * * *' in Europe/Berlin; missed runs: skip" "$WORK/ferry.log" ||
  fail "the schedule did not log what it does"
grep -qF "own_timer is false" "$WORK/ferry.log" || fail "the reader's own timer is not off"

for round in 1 2 3; do
  printf 'round %s' "$round" >"$WORK/in/.r$round.part"
  mv "$WORK/in/.r$round.part" "$WORK/in/r$round.txt"
  # A file is taken on the second scan that sees it unchanged: 1-2 fires.
  wait_for 10 test -f "$WORK/out/r$round.txt" || fail "round $round: r$round.txt not delivered"
  [ "$(cat "$WORK/out/r$round.txt")" = "round $round" ] || fail "round $round: wrong content"
  wait_for 5 bash -c "[ ! -e '$WORK/in/r$round.txt' ]" || fail "round $round: r$round.txt not taken"
done

stop_ferry
echo "PASS"
