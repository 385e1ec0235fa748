// Cron expressions in UTC: parsing and next fire times against a table whose
// expected times come from a brute-force second-by-second reference
// (Vixie day-of-month/day-of-week rules), plus the errors.
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

namespace {

struct Row {
  const char* expression;
  const char* after;
  std::vector<std::string> next;
};

std::vector<std::string> fire_times(const std::string& expression, const std::string& after, size_t n,
                                    const TimeZone& zone = TimeZone::utc()) {
  const Schedule s = Schedule::cron(CronExpression::parse(expression), zone);
  std::vector<std::string> out;
  int64_t t = ms(after);
  while (out.size() < n) {
    const auto next = s.next_after(t);
    if (!next) break;
    out.push_back(iso(*next));
    t = *next;
  }
  return out;
}

std::string parse_error(const std::string& expression) {
  try {
    CronExpression::parse(expression);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("expressions fire at the times of the reference table", "[cron][expression]") {
  const std::vector<Row> rows = {
      {"* * * * *", "2026-01-01T00:00:00Z", {"2026-01-01T00:01:00Z", "2026-01-01T00:02:00Z", "2026-01-01T00:03:00Z"}},
      {"*/15 * * * *", "2026-01-01T00:07:30Z", {"2026-01-01T00:15:00Z", "2026-01-01T00:30:00Z", "2026-01-01T00:45:00Z"}},
      {"0 9-17/4 * * MON-FRI", "2026-01-01T10:00:00Z", {"2026-01-01T13:00:00Z", "2026-01-01T17:00:00Z", "2026-01-02T09:00:00Z"}},
      {"30 6 1,15 * *", "2026-01-01T07:00:00Z", {"2026-01-15T06:30:00Z", "2026-02-01T06:30:00Z", "2026-02-15T06:30:00Z"}},
      {"0 0 1,15 * MON", "2026-01-01T00:00:00Z", {"2026-01-05T00:00:00Z", "2026-01-12T00:00:00Z", "2026-01-15T00:00:00Z"}},
      {"0 0 */2 * MON", "2026-01-01T00:00:00Z", {"2026-01-05T00:00:00Z", "2026-01-19T00:00:00Z", "2026-02-09T00:00:00Z"}},
      {"0 12 * JAN,JUL SUN", "2026-01-20T00:00:00Z", {"2026-01-25T12:00:00Z", "2026-07-05T12:00:00Z", "2026-07-12T12:00:00Z"}},
      {"*/20 * * * * *", "2026-01-01T00:00:00Z", {"2026-01-01T00:00:20Z", "2026-01-01T00:00:40Z", "2026-01-01T00:01:00Z"}},
      {"5/20 0 0 * * *", "2025-12-31T23:59:59Z", {"2026-01-01T00:00:05Z", "2026-01-01T00:00:25Z", "2026-01-01T00:00:45Z"}},
      {"0 0 29 2 *", "2026-01-01T00:00:00Z", {"2028-02-29T00:00:00Z", "2032-02-29T00:00:00Z", "2036-02-29T00:00:00Z"}},
      {"@hourly", "2026-01-01T00:00:00Z", {"2026-01-01T01:00:00Z", "2026-01-01T02:00:00Z", "2026-01-01T03:00:00Z"}},
      {"@daily", "2026-01-01T00:00:00Z", {"2026-01-02T00:00:00Z", "2026-01-03T00:00:00Z", "2026-01-04T00:00:00Z"}},
      {"@midnight", "2026-01-01T00:00:00Z", {"2026-01-02T00:00:00Z", "2026-01-03T00:00:00Z", "2026-01-04T00:00:00Z"}},
      {"@weekly", "2026-01-01T00:00:00Z", {"2026-01-04T00:00:00Z", "2026-01-11T00:00:00Z", "2026-01-18T00:00:00Z"}},
      {"@monthly", "2026-01-01T00:00:00Z", {"2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z"}},
      {"@yearly", "2026-01-01T00:00:00Z", {"2027-01-01T00:00:00Z", "2028-01-01T00:00:00Z", "2029-01-01T00:00:00Z"}},
      {"@annually", "2026-01-01T00:00:00Z", {"2027-01-01T00:00:00Z", "2028-01-01T00:00:00Z", "2029-01-01T00:00:00Z"}},
      {"0 0 * * 7", "2026-01-01T00:00:00Z", {"2026-01-04T00:00:00Z", "2026-01-11T00:00:00Z", "2026-01-18T00:00:00Z"}},
      {"0 0 * * SAT-SUN", "2026-01-01T00:00:00Z", {"2026-01-03T00:00:00Z", "2026-01-04T00:00:00Z", "2026-01-10T00:00:00Z"}},
      {"0 0 31 * *", "2026-01-31T00:00:00Z", {"2026-03-31T00:00:00Z", "2026-05-31T00:00:00Z", "2026-07-31T00:00:00Z"}},
      {"59 23 31 12 *", "2026-06-01T00:00:00Z", {"2026-12-31T23:59:00Z", "2027-12-31T23:59:00Z", "2028-12-31T23:59:00Z"}},
      {"0 0 ? * FRI", "2026-01-01T00:00:00Z", {"2026-01-02T00:00:00Z", "2026-01-09T00:00:00Z", "2026-01-16T00:00:00Z"}},
      {"15,45 */6 * * *", "2026-01-01T05:00:00Z", {"2026-01-01T06:15:00Z", "2026-01-01T06:45:00Z", "2026-01-01T12:15:00Z"}},
      {"0 0 13 * FRI", "2026-02-01T00:00:00Z", {"2026-02-06T00:00:00Z", "2026-02-13T00:00:00Z", "2026-02-20T00:00:00Z"}},
      {"0 22 * * 1-5", "2026-01-02T22:00:00Z", {"2026-01-05T22:00:00Z", "2026-01-06T22:00:00Z", "2026-01-07T22:00:00Z"}},
      {"0 0 1 */3 *", "2026-01-01T00:00:00Z", {"2026-04-01T00:00:00Z", "2026-07-01T00:00:00Z", "2026-10-01T00:00:00Z"}},
      {"10-12 * * * * *", "2026-01-01T00:00:11Z", {"2026-01-01T00:00:12Z", "2026-01-01T00:01:10Z", "2026-01-01T00:01:11Z"}},
      {"0 0 * * 0,7", "2026-01-01T00:00:00Z", {"2026-01-04T00:00:00Z", "2026-01-11T00:00:00Z", "2026-01-18T00:00:00Z"}},
      {"0 30 8 * jan-mar mon,wed", "2026-03-30T09:00:00Z", {"2027-01-04T08:30:00Z", "2027-01-06T08:30:00Z", "2027-01-11T08:30:00Z"}},
      {"0 0 0 29 2 *", "2096-03-01T00:00:00Z", {"2104-02-29T00:00:00Z", "2108-02-29T00:00:00Z", "2112-02-29T00:00:00Z"}},
  };
  for (const auto& row : rows) {
    INFO(row.expression << " after " << row.after);
    CHECK(fire_times(row.expression, row.after, 3) == row.next);
  }
}

TEST_CASE("a fire time is strictly after the given instant and on a whole second", "[cron][expression]") {
  const Schedule every_second = Schedule::cron(CronExpression::parse("* * * * * *"), TimeZone::utc());
  CHECK(iso(*every_second.next_after(ms("2026-01-01T00:00:00Z"))) == "2026-01-01T00:00:01Z");
  CHECK(iso(*every_second.next_after(ms("2026-01-01T00:00:00Z") + 999)) == "2026-01-01T00:00:01Z");
  CHECK(iso(*every_second.next_after(ms("2026-01-01T00:00:00Z") - 1)) == "2026-01-01T00:00:00Z");
}

TEST_CASE("whitespace and case do not matter", "[cron][expression]") {
  CHECK(fire_times("  0\t12  *  *   sun ", "2026-01-01T00:00:00Z", 1) == std::vector<std::string>{"2026-01-04T12:00:00Z"});
  CHECK(fire_times("@DAILY", "2026-01-01T00:00:00Z", 1) == std::vector<std::string>{"2026-01-02T00:00:00Z"});
  CHECK(CronExpression::parse("@weekly").fields() == "0 0 * * 0");
}

TEST_CASE("bad expressions name the field and the value", "[cron][expression]") {
  struct Bad {
    const char* expression;
    const char* message;
  };
  const std::vector<Bad> bad = {
      {"", "expected 5 fields (minute hour day-of-month month day-of-week) or 6 (second first), got 0"},
      {"* * * *", "got 4"},
      {"0 0 0 1 1 * 2026", "got 7"},
      {"61 * * * *", "minute field '61': 61 is out of range 0-59"},
      {"60 * * * * *", "second field '60': 60 is out of range 0-59"},
      {"* 24 * * *", "hour field '24': 24 is out of range 0-23"},
      {"* * 0 * *", "day-of-month field '0': 0 is out of range 1-31"},
      {"* * 32 * *", "day-of-month field '32': 32 is out of range 1-31"},
      {"* * * 13 *", "month field '13': 13 is out of range 1-12"},
      {"* * * * 8", "day-of-week field '8': 8 is out of range 0-7"},
      {"*/0 * * * *", "minute field '*/0': step 0 is out of range 1-60"},
      {"*/61 * * * *", "minute field '*/61': step 61 is out of range 1-60"},
      {"5-1 * * * *", "minute field '5-1': range 5-1 runs backwards"},
      {"a * * * *", "minute field 'a': 'a' is not a valid value"},
      {"1.5 * * * *", "minute field '1.5': '1.5' is not a valid value"},
      {"* * * FOO *", "month field 'FOO': unknown name 'FOO'"},
      {"* * * * MONDAY", "day-of-week field 'MONDAY': unknown name 'MONDAY'"},
      {"1,,2 * * * *", "minute field '1,,2': empty list item"},
      {"1- * * * *", "minute field '1-': a range is missing an end"},
      {"-1 * * * *", "minute field '-1': a range is missing an end"},
      {"*/x * * * *", "minute field '*/x': 'x' is not a valid step"},
      {"? * * * *", "minute field '?': '?' is only allowed in the day-of-month and day-of-week fields"},
      {"0 0 30 2 *", "day-of-month field '30' never occurs in the months of month field '2'"},
      {"0 0 31 4,6,9,11 *", "day-of-month field '31' never occurs in the months of month field '4,6,9,11'"},
      {"@reboot", "@reboot is not supported: set run_on_start"},
      {"@fortnightly", "unknown shortcut '@fortnightly' (known: @yearly @annually @monthly @weekly @daily @midnight @hourly)"},
      {"@daily 5", "a shortcut (@daily) stands alone"},
  };
  for (const auto& b : bad) {
    INFO(b.expression);
    CHECK_THAT(parse_error(b.expression), Catch::Contains(b.message));
  }
}

TEST_CASE("day fields that can never meet are refused", "[cron][expression]") {
  // With a starred day-of-month both day fields must match (Vixie): the 1st
  // or 31st of February that is a Monday exists, the 30th or 31st never does.
  CHECK(fire_times("0 0 */30 2 MON", "2026-01-01T00:00:00Z", 1) == std::vector<std::string>{"2027-02-01T00:00:00Z"});
  CHECK_THAT(parse_error("0 0 30-31 2 *"), Catch::Contains("never occurs"));
}

TEST_CASE("the hour field decides how a repeated hour is handled", "[cron][expression]") {
  CHECK(CronExpression::parse("0 * * * *").every_hour());
  CHECK(CronExpression::parse("*/15 */2 * * *").every_hour());
  CHECK_FALSE(CronExpression::parse("30 1 * * *").every_hour());
  CHECK_FALSE(CronExpression::parse("0 0-23 * * *").every_hour());
  CHECK_FALSE(CronExpression::parse("@daily").every_hour());
  CHECK(CronExpression::parse("@hourly").every_hour());
}
