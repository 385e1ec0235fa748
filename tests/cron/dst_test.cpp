// Cron schedules across DST changes in real zones. Expected instants were
// derived with Python's zoneinfo from the local times in the comments and
// are written as UTC literals.
//
// America/New_York 2026: 03-08 02:00 EST -> 03:00 EDT (07:00Z);
//                        11-01 02:00 EDT -> 01:00 EST (06:00Z).
// Europe/Berlin 2026:    03-29 02:00 CET -> 03:00 CEST (01:00Z);
//                        10-25 03:00 CEST -> 02:00 CET (01:00Z).
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "cron_expression.hpp"
#include "schedule.hpp"
#include "time_text.hpp"

using ferry::cron::CronExpression;
using ferry::cron::Schedule;
using ferry::cron::TimeZone;
using cron_test::iso;
using cron_test::ms;
using Times = std::vector<std::string>;

namespace {

Times fire_times(const std::string& zone, const std::string& expression, const std::string& after, size_t n) {
  const Schedule s = Schedule::cron(CronExpression::parse(expression), TimeZone::locate(zone));
  Times out;
  int64_t t = ms(after);
  while (out.size() < n) {
    const auto next = s.next_after(t);
    if (!next) break;
    out.push_back(iso(*next));
    t = *next;
  }
  return out;
}

const std::string kNewYork = "America/New_York";
const std::string kBerlin = "Europe/Berlin";

}  // namespace

TEST_CASE("a daily time inside the spring-forward gap fires once at the end of the gap", "[cron][dst]") {
  // 02:30 on 03-08 does not exist: 03:00 EDT; the next day 02:30 EDT.
  CHECK(fire_times(kNewYork, "30 2 * * *", "2026-03-07T12:00:00Z", 2) ==
        Times{"2026-03-08T07:00:00Z", "2026-03-09T06:30:00Z"});
  // 02:30 CET on 03-29 does not exist: 03:00 CEST.
  CHECK(fire_times(kBerlin, "30 2 * * *", "2026-03-28T00:00:00Z", 3) ==
        Times{"2026-03-28T01:30:00Z", "2026-03-29T01:00:00Z", "2026-03-30T00:30:00Z"});
  // With seconds: 02:30:30 -> 03:00:00 EDT.
  CHECK(fire_times(kNewYork, "30 30 2 * * *", "2026-03-08T00:00:00Z", 1) == Times{"2026-03-08T07:00:00Z"});
}

TEST_CASE("times swallowed by the gap collapse into one fire", "[cron][dst]") {
  // 01:45 EST, then 02:00..02:45 (gap) and 03:00 EDT are one fire at 07:00Z.
  CHECK(fire_times(kNewYork, "*/15 * * * *", "2026-03-08T06:40:00Z", 3) ==
        Times{"2026-03-08T06:45:00Z", "2026-03-08T07:00:00Z", "2026-03-08T07:15:00Z"});
  CHECK(fire_times(kNewYork, "0 * * * *", "2026-03-08T05:30:00Z", 3) ==
        Times{"2026-03-08T06:00:00Z", "2026-03-08T07:00:00Z", "2026-03-08T08:00:00Z"});
}

TEST_CASE("a time in the repeated hour fires once on its first pass", "[cron][dst]") {
  // 01:30 EDT (05:30Z) fires, 01:30 EST (06:30Z) does not; next day 01:30 EST.
  CHECK(fire_times(kNewYork, "30 1 * * *", "2026-10-31T12:00:00Z", 2) ==
        Times{"2026-11-01T05:30:00Z", "2026-11-02T06:30:00Z"});
  // Asked during the second pass, the repeated 01:30 is not fired again.
  CHECK(fire_times(kNewYork, "30 1 * * *", "2026-11-01T06:10:00Z", 1) == Times{"2026-11-02T06:30:00Z"});
  // A specific hour with several minutes: only the first pass.
  CHECK(fire_times(kNewYork, "*/30 1 * * *", "2026-11-01T04:00:00Z", 3) ==
        Times{"2026-11-01T05:00:00Z", "2026-11-01T05:30:00Z", "2026-11-02T06:00:00Z"});
  // 02:00 exists once (EST) after the fall-back.
  CHECK(fire_times(kNewYork, "0 2 * * *", "2026-10-31T12:00:00Z", 2) ==
        Times{"2026-11-01T07:00:00Z", "2026-11-02T07:00:00Z"});
  // 02:30 CEST (00:30Z) fires, 02:30 CET (01:30Z) does not.
  CHECK(fire_times(kBerlin, "30 2 * * *", "2026-10-24T12:00:00Z", 2) ==
        Times{"2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z"});
}

TEST_CASE("an every-hour schedule keeps its rhythm through the repeated hour", "[cron][dst]") {
  // 00:00 EDT, 01:00 EDT, 01:00 EST, 02:00 EST: one fire per real hour.
  CHECK(fire_times(kNewYork, "0 * * * *", "2026-11-01T03:30:00Z", 4) ==
        Times{"2026-11-01T04:00:00Z", "2026-11-01T05:00:00Z", "2026-11-01T06:00:00Z", "2026-11-01T07:00:00Z"});
  // 00:00 CEST, 02:00 CEST, 02:00 CET, 04:00 CET.
  CHECK(fire_times(kBerlin, "0 */2 * * *", "2026-10-24T21:00:00Z", 4) ==
        Times{"2026-10-24T22:00:00Z", "2026-10-25T00:00:00Z", "2026-10-25T01:00:00Z", "2026-10-25T03:00:00Z"});
}

TEST_CASE("weekday business hours in Berlin across the spring change", "[cron][dst]") {
  // Friday 19:59:30 CET -> Friday 19:59 was the last; Monday 07:00 CEST.
  CHECK(fire_times(kBerlin, "* 7-19 * * MON-FRI", "2026-03-27T18:59:30Z", 2) ==
        Times{"2026-03-30T05:00:00Z", "2026-03-30T05:01:00Z"});
}

TEST_CASE("southern hemisphere and half-hour changes", "[cron][dst]") {
  // Sydney 2026-04-05 03:00 AEDT -> 02:00 AEST: 02:30 first pass 15:30Z.
  CHECK(fire_times("Australia/Sydney", "30 2 * * *", "2026-04-04T12:00:00Z", 2) ==
        Times{"2026-04-04T15:30:00Z", "2026-04-05T16:30:00Z"});
  // Sydney 2026-10-04 02:00 AEST -> 03:00 AEDT: 02:30 -> 03:00 AEDT (16:00Z).
  CHECK(fire_times("Australia/Sydney", "30 2 * * *", "2026-10-03T12:00:00Z", 1) == Times{"2026-10-03T16:00:00Z"});
  // Lord Howe 2026-10-04 02:00 +1030 -> 02:30 +11: 02:15 -> 02:30 (15:30Z).
  CHECK(fire_times("Australia/Lord_Howe", "15 2 * * *", "2026-10-03T12:00:00Z", 1) == Times{"2026-10-03T15:30:00Z"});
}

TEST_CASE("DST after the last transition listed in the zone file (2037) follows the zone's rule", "[cron][dst]") {
  // New York 2040-03-11: 02:30 -> 03:00 EDT; 2040-11-04: 01:30 EDT once.
  CHECK(fire_times(kNewYork, "30 2 * * *", "2040-03-10T12:00:00Z", 2) ==
        Times{"2040-03-11T07:00:00Z", "2040-03-12T06:30:00Z"});
  CHECK(fire_times(kNewYork, "30 1 * * *", "2040-11-03T12:00:00Z", 2) ==
        Times{"2040-11-04T05:30:00Z", "2040-11-05T06:30:00Z"});
  // Noon EDT in July 2045 is 16:00Z.
  CHECK(fire_times(kNewYork, "0 12 1 7 *", "2045-01-01T00:00:00Z", 1) == Times{"2045-07-01T16:00:00Z"});
}

TEST_CASE("unknown zones are refused", "[cron][dst]") {
  CHECK_THROWS_WITH(TimeZone::locate("Mars/Olympus_Mons"), Catch::Contains("unknown time zone 'Mars/Olympus_Mons'"));
  CHECK_THROWS_WITH(TimeZone::locate("../../etc/passwd"), Catch::Contains("unknown time zone"));
  CHECK_THROWS_WITH(TimeZone::locate(""), Catch::Contains("unknown time zone"));
  CHECK(TimeZone::locate("UTC").name() == "UTC");
  CHECK(TimeZone::locate("Etc/GMT+5").span_at(0).offset == -5 * 3600);
}
