// The POSIX TZ rules that end zoneinfo files. Expected instants derived with
// Python's zoneinfo for the zone whose footer each rule is.
#include <catch2/catch.hpp>

#include "posix_tz.hpp"
#include "time_text.hpp"

using ferry::cron::PosixRule;
using cron_test::ms;

namespace {
int64_t sec(const char* iso) { return ms(iso) / 1000; }
}  // namespace

TEST_CASE("a northern rule switches at local 02:00", "[cron][posix_tz]") {
  const auto rule = PosixRule::parse("EST5EDT,M3.2.0,M11.1.0");
  REQUIRE(rule);
  REQUIRE(rule->has_dst());
  // 2040-03-11 07:00Z starts EDT, 2040-11-04 06:00Z ends it.
  const auto summer = rule->span_at(sec("2040-07-01T00:00:00Z"));
  CHECK(summer.offset == -4 * 3600);
  CHECK(summer.begin == sec("2040-03-11T07:00:00Z"));
  CHECK(summer.end == sec("2040-11-04T06:00:00Z"));
  const auto winter = rule->span_at(sec("2040-11-04T06:00:00Z"));
  CHECK(winter.offset == -5 * 3600);
  CHECK(winter.begin == sec("2040-11-04T06:00:00Z"));
  CHECK(winter.end == sec("2041-03-10T07:00:00Z"));
  CHECK(rule->span_at(sec("2040-03-11T06:59:59Z")).offset == -5 * 3600);
}

TEST_CASE("a southern rule spans the new year", "[cron][posix_tz]") {
  // Australia/Sydney: AEDT from the first Sunday of October to the first of April.
  const auto rule = PosixRule::parse("AEST-10AEDT,M10.1.0,M4.1.0/3");
  REQUIRE(rule);
  const auto summer = rule->span_at(sec("2041-01-01T00:00:00Z"));
  CHECK(summer.offset == 11 * 3600);
  CHECK(summer.begin == sec("2040-10-06T16:00:00Z"));
  CHECK(summer.end == sec("2041-04-06T16:00:00Z"));
}

TEST_CASE("negative and over-24-hour rule times and angle-bracket names", "[cron][posix_tz]") {
  // America/Nuuk: -02 -> -01 on the last Sunday of March at -1:00 local.
  const auto nuuk = PosixRule::parse("<-02>2<-01>,M3.5.0/-1,M10.5.0/0");
  REQUIRE(nuuk);
  CHECK(nuuk->span_at(sec("2040-07-01T00:00:00Z")).begin == sec("2040-03-25T01:00:00Z"));
  CHECK(nuuk->span_at(sec("2040-07-01T00:00:00Z")).end == sec("2040-10-28T01:00:00Z"));
  // Asia/Jerusalem: IDT from the Friday before the last Sunday of March (Thursday 26:00).
  const auto jerusalem = PosixRule::parse("IST-2IDT,M3.4.4/26,M10.5.0");
  REQUIRE(jerusalem);
  CHECK(jerusalem->span_at(sec("2040-07-01T00:00:00Z")).begin == sec("2040-03-23T00:00:00Z"));
  CHECK(jerusalem->span_at(sec("2040-07-01T00:00:00Z")).offset == 3 * 3600);
}

TEST_CASE("negative daylight saving (Europe/Dublin)", "[cron][posix_tz]") {
  // IST (+1) is the standard time, GMT (+0) the "daylight" one in winter.
  const auto rule = PosixRule::parse("IST-1GMT0,M10.5.0,M3.5.0/1");
  REQUIRE(rule);
  CHECK(rule->span_at(sec("2040-07-01T00:00:00Z")).offset == 3600);
  CHECK(rule->span_at(sec("2040-12-01T00:00:00Z")).offset == 0);
  CHECK(rule->span_at(sec("2040-12-01T00:00:00Z")).begin == sec("2040-10-28T01:00:00Z"));
}

TEST_CASE("fixed offsets and refused rules", "[cron][posix_tz]") {
  const auto tehran = PosixRule::parse("<+0330>-3:30");
  REQUIRE(tehran);
  CHECK_FALSE(tehran->has_dst());
  CHECK(tehran->span_at(0).offset == 3 * 3600 + 1800);
  CHECK_FALSE(PosixRule::parse(""));
  CHECK_FALSE(PosixRule::parse("EST"));
  CHECK_FALSE(PosixRule::parse("EST5EDT,M3.2.0"));
  CHECK_FALSE(PosixRule::parse("EST5EDT,M13.2.0,M11.1.0"));
  CHECK_FALSE(PosixRule::parse("EST5EDT,M3.6.0,M11.1.0"));
  CHECK_FALSE(PosixRule::parse("EST5EDT,J366,M11.1.0"));
  CHECK_FALSE(PosixRule::parse("EST5EDT,M3.2.0,M11.1.0/200"));
  CHECK_FALSE(PosixRule::parse("EST5EDT,M3.2.0,M11.1.0x"));
}
