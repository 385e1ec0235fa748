# Bad cron.schedule and cron.message configs stop `ferry run` with an error
# that names the key, the value and (for expressions) the field.
source "$FERRY_SOURCE_DIR/tests/e2e/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/helpers.sh"

# expect_error <schedule config JSON> <expected text> [source config JSON]
expect_error() {
  cat >"$WORK/bad.json" <<JSON
{
  "engine": $(engine_json),
  "plugins": ["cron", "testkit"],
  "channels": [{
    "id": "c",
    "source": {"type": "cron.message", "config": ${3:-{\}},
               "schedule": {"type": "cron.schedule", "config": $1}},
    "destinations": [{"id": "out", "type": "testkit.sink", "config": {"path": "$WORK/out.txt"}}]
  }]
}
JSON
  local status=0
  "$FERRY" run -c "$WORK/bad.json" >"$WORK/bad.log" 2>&1 || status=$?
  [ "$status" -eq 1 ] || fail "$1: expected exit status 1, got $status: $(cat "$WORK/bad.log")"
  grep -qF -- "$2" "$WORK/bad.log" || fail "$1: expected '$2' in: $(cat "$WORK/bad.log")"
}

expect_error '{"cron": "61 * * * *"}' \
  "/channels/0/source/schedule: cron.schedule could not be created: cron '61 * * * *': minute field '61': 61 is out of range 0-59"
expect_error '{"cron": "0 9 * * MON-FRY"}' "cron '0 9 * * MON-FRY': day-of-week field 'MON-FRY': unknown name 'FRY'"
expect_error '{"cron": "* * * *"}' "cron '* * * *': expected 5 fields"
expect_error '{"cron": "@reboot"}' "@reboot is not supported: set run_on_start"
expect_error '{"cron": "0 0 31 2 *"}' "day-of-month field '31' never occurs in the months of month field '2'"
expect_error '{"cron": "@daily", "timezone": "Europe/Berlln"}' "timezone: unknown time zone 'Europe/Berlln'"
expect_error '{"cron": "@daily", "interval_ms": 1000}' "set exactly one of cron and interval_ms"
expect_error '{}' "set exactly one of cron and interval_ms"
expect_error '{"interval_ms": 1000, "timezone": "UTC"}' "timezone applies to cron only"
expect_error '{"cron": "@daily", "missed": "later"}' "/channels/0/source/schedule/config/missed"
expect_error '{"cron": "@daily"}' "metadata/n: expected a string, got 1" '{"metadata": {"n": 1}}'
expect_error '{"cron": "@daily"}' "metadata: expected an object of strings" '{"metadata": ["x"]}'
expect_error '{"cron": "@daily"}' "content" '{"content": "${nope}"}'
echo "PASS"
