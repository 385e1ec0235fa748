# own_timer false: the reader scans only when the channel's schedule polls
# it (and never without a schedule). Also checks the metadata the reader
# sets, through file.writer's ${meta:...} placeholders.
source "$FERRY_SOURCE_DIR/tests/e2e/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/helpers.sh"

mkdir -p "$WORK/scheduled" "$WORK/idle"
cat >"$WORK/ferry.json" <<JSON
{
  "engine": $(engine_json),
  "plugins": ["file", "testkit"],
  "channels": [
    {
      "id": "scheduled",
      "source": {"type": "file.reader",
                 "config": {"directory": "$WORK/scheduled", "own_timer": false, "min_age_ms": 0},
                 "schedule": {"type": "testkit.every", "config": {"interval_ms": 100}}},
      "destinations": [{"id": "out", "type": "file.writer", "config": {
        "directory": "$WORK/out", "filename": "\${meta:filename}|\${meta:size}|\${meta:mtime}"}}]
    },
    {
      "id": "idle",
      "source": {"type": "file.reader",
                 "config": {"directory": "$WORK/idle", "own_timer": false, "min_age_ms": 0,
                            "poll_interval_ms": 10}},
      "destinations": [{"id": "out", "type": "file.writer", "config": {"directory": "$WORK/idle-out"}}]
    }
  ]
}
JSON

printf 'twelve bytes' >"$WORK/scheduled/m.txt"
touch -d '2020-01-02 03:04:05.678 UTC' "$WORK/scheduled/m.txt"
drop "$WORK/idle" waiting.txt "nobody polls me"
start_ferry "$WORK/ferry.json"

wait_for 15 has_content "$WORK/out/m.txt|12|2020-01-02T03:04:05.678Z" "twelve bytes" ||
  fail "scheduled reader did not deliver m.txt with its metadata: $(ls -A "$WORK/out" 2>&1)"
wait_for 5 file_count_is "$WORK/scheduled" 0 || fail "m.txt not deleted"
grep -qF "own_timer is false" "$WORK/ferry.log" || fail "own_timer false not logged"

# The idle reader has no schedule and no timer: its file must stay put.
sleep 1
[ -f "$WORK/idle/waiting.txt" ] && [ ! -e "$WORK/idle-out" ] || fail "a reader without timer or schedule scanned"

stop_ferry
echo "PASS"
