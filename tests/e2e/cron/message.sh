# cron.message turns a schedule into a trigger: every fire emits one
# generated message (templates in content and metadata) that goes through
# the channel to file.writer. Without a schedule it emits nothing; with a
# fixed dedupe_key in its metadata only the first run is stored.
source "$FERRY_SOURCE_DIR/tests/e2e/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/helpers.sh"

cat >"$WORK/ferry.json" <<JSON
{
  "engine": $(engine_json),
  "plugins": ["cron", "file"],
  "channels": [
    {
      "id": "batch",
      "source": {"type": "cron.message",
                 "config": {"content": "{\"job\": \"export\", \"at\": \"\${iso_time}\", \"run\": \"\${uuid}\"}",
                            "content_type": "application/json",
                            "metadata": {"job": "export", "run_id": "\${uuid}", "site": "north"}},
                 "schedule": {"type": "cron.schedule", "config": {"cron": "*/1 * * * * *"}}},
      "destinations": [{"id": "out", "type": "file.writer", "config": {
        "directory": "$WORK/out", "filename": "\${meta:job}-\${meta:run_id}-\${meta:site}.json"}}]
    },
    {
      "id": "deduped",
      "source": {"type": "cron.message", "config": {"content": "batch", "metadata": {"dedupe_key": "batch-of-the-day"}},
                 "schedule": {"type": "cron.schedule", "config": {"cron": "* * * * * *"}}},
      "destinations": [{"id": "out", "type": "file.writer", "config": {"directory": "$WORK/deduped"}}]
    },
    {
      "id": "unscheduled",
      "source": {"type": "cron.message", "config": {"content": "never"}},
      "destinations": [{"id": "out", "type": "file.writer", "config": {"directory": "$WORK/idle"}}]
    }
  ]
}
JSON

start_ferry "$WORK/ferry.json"
wait_for 15 files_at_least "$WORK/out" 3 || fail "fewer than 3 generated messages: $(files_in "$WORK/out")"
stop_ferry

uuid='[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}'
for f in "$WORK"/out/*; do
  name=$(basename "$f")
  [[ "$name" =~ ^export-${uuid}-north\.json$ ]] || fail "unexpected file name $name"
  content=$(cat "$f")
  [[ "$content" =~ ^\{\"job\":\ \"export\",\ \"at\":\ \"20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z\",\ \"run\":\ \"${uuid}\"\}$ ]] ||
    fail "unexpected content in $name: $content"
done
# Every run is a new message: distinct run ids, and one message per second.
runs=$(for f in "$WORK"/out/*; do sed 's/.*"run": "\([^"]*\)".*/\1/' "$f"; echo; done | sort -u | wc -l)
[ "$runs" -eq "$(files_in "$WORK/out")" ] || fail "run ids repeat"
seconds=$(for f in "$WORK"/out/*; do sed 's/.*"at": "\([^.]*\)\..*/\1/' "$f"; echo; done | sort -u | wc -l)
[ "$seconds" -eq "$(files_in "$WORK/out")" ] || fail "two messages in the same second: the schedule fired twice"
# The content type travels with the message (ferry messages shows it).
"$FERRY" messages list --json -c "$WORK/ferry.json" --channel batch >"$WORK/list.json"
[ "$(grep -c '"content_type": "application/json"' "$WORK/list.json")" -eq "$(files_in "$WORK/out")" ] ||
  fail "content type not stored: $(head -c 600 "$WORK/list.json")"

[ "$(files_in "$WORK/idle")" -eq 0 ] || fail "cron.message without a schedule emitted"
# A dedupe_key in the metadata makes later runs duplicates: one batch only.
[ "$(files_in "$WORK/deduped")" -eq 1 ] || fail "dedupe_key: $(files_in "$WORK/deduped") batches, expected 1"
grep -q "duplicate of message" "$WORK/ferry.log" || fail "the repeated runs were not reported as duplicates"
echo "PASS"
