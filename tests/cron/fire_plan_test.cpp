// Missed runs (skip / run_once) and run_on_start: what cron.schedule answers
// the host, with the clock passed in.
#include <catch2/catch.hpp>

#include "fire_plan.hpp"
#include "time_text.hpp"

using ferry::cron::CronExpression;
using ferry::cron::FireAnswer;
using ferry::cron::FirePlan;
using ferry::cron::Missed;
using ferry::cron::Schedule;
using ferry::cron::TimeZone;
using cron_test::iso;
using cron_test::ms;

namespace {
Schedule every_ten_minutes() { return Schedule::cron(CronExpression::parse("*/10 * * * *"), TimeZone::utc()); }
}  // namespace

TEST_CASE("skip: a fire time missed while down is not run but the next one after now is", "[cron][missed]") {
  FirePlan plan(every_ten_minutes(), Missed::skip, false);
  plan.started();
  // Last fired 08:00, down until 08:35: 08:10..08:30 were missed.
  const auto answer = plan.next_fire(ms("2026-01-01T08:00:00Z"), ms("2026-01-01T08:35:00Z"));
  CHECK(iso(*answer.next) == "2026-01-01T08:40:00Z");
  CHECK(answer.why == FireAnswer::Why::missed_skipped);
  CHECK(iso(answer.missed) == "2026-01-01T08:10:00Z");
}

TEST_CASE("run_once: the first missed time is answered (the host fires it at once) and then on from now", "[cron][missed]") {
  FirePlan plan(every_ten_minutes(), Missed::run_once, false);
  plan.started();
  const auto answer = plan.next_fire(ms("2026-01-01T08:00:00Z"), ms("2026-01-01T08:35:00Z"));
  CHECK(iso(*answer.next) == "2026-01-01T08:10:00Z");
  CHECK(answer.why == FireAnswer::Why::missed_run_once);
  // The host continues from now after the catch-up run: no second one.
  CHECK(iso(*plan.next_fire(ms("2026-01-01T08:35:00Z"), ms("2026-01-01T08:35:00Z")).next) == "2026-01-01T08:40:00Z");
}

TEST_CASE("nothing missed: both policies answer the next time", "[cron][missed]") {
  for (const Missed m : {Missed::skip, Missed::run_once}) {
    FirePlan plan(every_ten_minutes(), m, false);
    plan.started();
    CHECK(iso(*plan.next_fire(ms("2026-01-01T08:00:00Z"), ms("2026-01-01T08:05:00Z")).next) == "2026-01-01T08:10:00Z");
  }
}

TEST_CASE("a time less than a second past is late and not missed: it still fires", "[cron][missed]") {
  FirePlan plan(every_ten_minutes(), Missed::skip, false);
  CHECK(iso(*plan.next_fire(ms("2026-01-01T08:09:59Z"), ms("2026-01-01T08:10:00Z") + 999).next) ==
        "2026-01-01T08:10:00Z");
  CHECK(iso(*plan.next_fire(ms("2026-01-01T08:09:59Z"), ms("2026-01-01T08:10:01Z") + 1).next) ==
        "2026-01-01T08:20:00Z");
}

TEST_CASE("skip also applies to fixed intervals", "[cron][missed]") {
  FirePlan skip(Schedule::every(60000), Missed::skip, false);
  CHECK(iso(*skip.next_fire(ms("2026-01-01T08:00:00Z"), ms("2026-01-01T08:05:30Z")).next) == "2026-01-01T08:06:00Z");
  FirePlan once(Schedule::every(60000), Missed::run_once, false);
  CHECK(iso(*once.next_fire(ms("2026-01-01T08:00:00Z"), ms("2026-01-01T08:05:30Z")).next) == "2026-01-01T08:01:00Z");
}

TEST_CASE("run_on_start answers now on the first call after each start only", "[cron][run_on_start]") {
  FirePlan plan(every_ten_minutes(), Missed::skip, true);
  plan.started();
  const int64_t now = ms("2026-01-01T08:03:00Z") + 250;
  CHECK(*plan.next_fire(now, now).next == now);
  CHECK(iso(*plan.next_fire(now, now).next) == "2026-01-01T08:10:00Z");
  plan.started();  // a restart
  CHECK(*plan.next_fire(ms("2026-01-01T08:10:00Z"), now + 60000).next == now + 60000);
}

TEST_CASE("without run_on_start the first call is an ordinary one", "[cron][run_on_start]") {
  FirePlan plan(every_ten_minutes(), Missed::skip, false);
  plan.started();
  const int64_t now = ms("2026-01-01T08:03:00Z");
  CHECK(iso(*plan.next_fire(now, now).next) == "2026-01-01T08:10:00Z");
}
