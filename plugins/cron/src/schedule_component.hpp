// cron.schedule: a scheduler component (channels[].source.schedule) that
// fires on a cron expression in an IANA time zone, or on a fixed interval.
#pragma once

#include <ferry/plugin.hpp>

#include <mutex>
#include <string>

#include "fire_plan.hpp"

namespace ferry::cron {

class ScheduleComponent : public ferry::Scheduler {
 public:
  static constexpr const char* type = "cron.schedule";
  static constexpr const char* version = "1.0.0";
  static constexpr const char* description =
      "Fires on a cron expression (5 or 6 fields, @daily...) in an IANA time zone, or every interval_ms";
  static constexpr const char* const missed_modes[] = {"skip", "run_once", nullptr};
  static constexpr std::array config_keys = {
      ferry::Key::string("cron")
          .describe("Cron expression: 'min hour day-of-month month day-of-week', with seconds first for 6 fields, "
                    "or @yearly @monthly @weekly @daily @hourly (one of cron and interval_ms)")
          .range(1, 1024),
      ferry::Key::integer("interval_ms")
          .describe("Fire every interval_ms, at multiples of it since the Unix epoch (one of cron and interval_ms)")
          .range(1, 31536000000.0),
      ferry::Key::string("timezone")
          .describe("IANA time zone the cron expression is read in, e.g. Europe/Berlin (default UTC)")
          .range(1, 128),
      ferry::Key::boolean("run_on_start").describe("Also fire once as soon as the channel starts").fallback("false"),
      ferry::Key::string("missed")
          .describe("A fire time missed while the engine was down: skip it, or run_once at start")
          .fallback("\"skip\"")
          .one_of(missed_modes),
  };

  ScheduleComponent(ferry::Instance self, const ferry::Config& config);
  void start() override;
  std::optional<int64_t> next_fire(int64_t after_ms) override;

 private:
  std::mutex mutex_;  // start() and next_fire() come from different threads
  FirePlan plan_;
  std::string summary_;  // logged at start: what this schedule does
};

}  // namespace ferry::cron
