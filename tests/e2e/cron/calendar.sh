# A third-party scheduler (tests/plugins/calendar: plain C, built against
# the SDK alone) drives channels like cron.schedule does: the host needs no
# change for a new kind of schedule. It fires every 300 ms on the allowed
# days and hours only.
source "$FERRY_SOURCE_DIR/tests/e2e/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/helpers.sh"

days=(SUN MON TUE WED THU FRI SAT)
today=$(date -u +%w)
hour=$((10#$(date -u +%H)))
open_days="\"${days[today]}\", \"${days[(today + 1) % 7]}\""  # today and tomorrow (UTC)
closed_days=""
for d in 2 3 4 5 6; do closed_days+="${closed_days:+, }\"${days[(today + d) % 7]}\""; done
# An hour window that holds neither this hour nor the next.
if [ "$hour" -le 20 ]; then from=$((hour + 2)); else from=12; fi

channel() {  # channel <id> <days> <from_hour> <to_hour>
  cat <<JSON
    {
      "id": "$1",
      "source": {"type": "testkit.counter", "config": {"prefix": "$1-"},
                 "schedule": {"type": "calendar.business_hours",
                              "config": {"interval_ms": 300, "days": [$2], "from_hour": $3, "to_hour": $4}}},
      "destinations": [{"id": "out", "type": "testkit.sink", "config": {"path": "$WORK/$1.txt"}}]
    }
JSON
}
cat >"$WORK/ferry.json" <<JSON
{
  "engine": $(engine_json),
  "plugins": ["calendar", "testkit"],
  "channels": [
$(channel open "$open_days" 0 24),
$(channel closed_days "$closed_days" 0 24),
$(channel closed_hours "$open_days" "$from" $((from + 1)))
  ]
}
JSON

start_ferry "$WORK/ferry.json"
wait_lines "$WORK/open.txt" 5 15 || fail "the business-hours schedule did not fire 5 times"
stop_ferry
[ "$(head -n1 "$WORK/open.txt")" = "open-1" ] || fail "unexpected first message: $(head -n1 "$WORK/open.txt")"
[ "$(lines_in "$WORK/closed_days.txt")" -eq 0 ] || fail "fired on a day that is not allowed"
[ "$(lines_in "$WORK/closed_hours.txt")" -eq 0 ] || fail "fired outside the allowed hours"

# The scheduler's own config errors reach the admin like any component's.
sed 's/"from_hour": 0, "to_hour": 24/"from_hour": 9, "to_hour": 9/' "$WORK/ferry.json" >"$WORK/bad.json"
status=0
"$FERRY" run -c "$WORK/bad.json" >"$WORK/bad.log" 2>&1 || status=$?
[ "$status" -eq 1 ] || fail "a bad calendar config did not fail the start (status $status)"
grep -qF "calendar.business_hours could not be created: from_hour must be before to_hour" "$WORK/bad.log" ||
  fail "unexpected error: $(cat "$WORK/bad.log")"
echo "PASS"
