#include "schedule_component.hpp"

#include <ferry/template/template.hpp>

#include <chrono>
#include <stdexcept>

namespace ferry::cron {

namespace {

// Reads the keys; a bad value is a config error naming the key and value.
FirePlan plan_from(const ferry::Config& c) {
  const bool has_cron = c.raw_json("cron").has_value();
  const bool has_interval = c.raw_json("interval_ms").has_value();
  const bool has_zone = c.raw_json("timezone").has_value();
  if (has_cron == has_interval) throw ferry::Error("set exactly one of cron and interval_ms");
  const Missed missed = c.string("missed") == "run_once" ? Missed::run_once : Missed::skip;
  const bool run_on_start = c.boolean("run_on_start");
  if (has_interval) {
    if (has_zone) throw ferry::Error("timezone applies to cron only (interval_ms counts from the Unix epoch)");
    return FirePlan(Schedule::every(c.integer("interval_ms")), missed, run_on_start);
  }
  const std::string text = c.string("cron");
  CronExpression expression = [&] {
    try {
      return CronExpression::parse(text);
    } catch (const std::invalid_argument& e) {
      throw ferry::Error("cron '" + text + "': " + e.what());
    }
  }();
  const std::string zone_name = has_zone ? c.string("timezone") : "UTC";
  TimeZone zone = [&] {
    try {
      return TimeZone::locate(zone_name);
    } catch (const std::invalid_argument& e) {
      throw ferry::Error(std::string("timezone: ") + e.what());
    }
  }();
  return FirePlan(Schedule::cron(std::move(expression), std::move(zone)), missed, run_on_start);
}

std::string summary_of(const ferry::Config& c) {
  std::string s = c.raw_json("cron") ? "cron '" + c.string("cron") + "' in " + c.string("timezone", "UTC")
                                     : "every " + std::to_string(c.integer("interval_ms")) + " ms";
  s += "; missed runs: " + c.string("missed");
  if (c.boolean("run_on_start")) s += "; runs on start";
  return s;
}

std::string iso(int64_t ms) {
  return ferry::tmpl::iso8601(std::chrono::system_clock::time_point(std::chrono::milliseconds(ms)));
}

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

ScheduleComponent::ScheduleComponent(ferry::Instance self, const ferry::Config& config)
    : Scheduler(self), plan_(plan_from(config)), summary_(summary_of(config)) {}

void ScheduleComponent::start() {
  self().info("fires on " + summary_);
  std::lock_guard lock(mutex_);
  plan_.started();
}

std::optional<int64_t> ScheduleComponent::next_fire(int64_t after_ms) {
  FireAnswer a;
  {
    std::lock_guard lock(mutex_);
    a = plan_.next_fire(after_ms, now_ms());
  }
  using Why = FireAnswer::Why;
  if (a.why == Why::missed_run_once)
    self().info("missed fire time " + iso(a.missed) + " while stopped: running it once now (missed: run_once)");
  else if (a.why == Why::missed_skipped)
    self().info("missed fire time " + iso(a.missed) + " while stopped: skipped (missed: skip)");
  else if (a.why == Why::run_on_start)
    self().info("running on start (run_on_start)");
  if (a.next) self().debug("next fire " + iso(*a.next));
  return a.next;
}

}  // namespace ferry::cron
