// Fixed intervals and a few schedule edge cases.
#include <catch2/catch.hpp>

#include "cron_expression.hpp"
#include "schedule.hpp"
#include "time_text.hpp"

using ferry::cron::CronExpression;
using ferry::cron::Schedule;
using ferry::cron::TimeZone;
using cron_test::iso;
using cron_test::ms;

TEST_CASE("an interval fires at its multiples since the epoch", "[cron][interval]") {
  const Schedule minute = Schedule::every(60000);
  CHECK(iso(*minute.next_after(ms("2026-01-01T00:00:30Z"))) == "2026-01-01T00:01:00Z");
  CHECK(iso(*minute.next_after(ms("2026-01-01T00:01:00Z"))) == "2026-01-01T00:02:00Z");
  CHECK(iso(*minute.next_after(ms("2026-01-01T00:01:00Z") - 1)) == "2026-01-01T00:01:00Z");
  const Schedule odd = Schedule::every(250);
  CHECK(*odd.next_after(1000) == 1250);
  CHECK(*odd.next_after(1249) == 1250);
  CHECK(*odd.next_after(-1) == 0);
  CHECK(*Schedule::every(1).next_after(41) == 42);
}

TEST_CASE("an interval that would overflow never fires", "[cron][interval]") {
  CHECK_FALSE(Schedule::every(1000).next_after(INT64_MAX - 10).has_value());
}

TEST_CASE("a rare expression is found decades ahead", "[cron][expression]") {
  // "*/7" in the day-of-week field is Sunday only, and starts with '*', so
  // both day fields must match (Vixie): February 29 on a Sunday.
  const Schedule s = Schedule::cron(CronExpression::parse("0 0 29 2 */7"), TimeZone::utc());
  CHECK(iso(*s.next_after(ms("2026-01-01T00:00:00Z"))) == "2032-02-29T00:00:00Z");
  CHECK(iso(*s.next_after(ms("2032-02-29T00:00:00Z"))) == "2060-02-29T00:00:00Z");
  CHECK(iso(*s.next_after(ms("2060-02-29T00:00:00Z"))) == "2088-02-29T00:00:00Z");
}
