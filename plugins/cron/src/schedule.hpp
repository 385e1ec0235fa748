// When a schedule fires: a cron expression in a time zone, or a fixed
// interval. Pure arithmetic on Unix milliseconds; no clock.
//
// Cron times are local wall-clock times. Across DST changes:
// - a local time skipped by a spring-forward gap fires once, at the first
//   instant after the gap (New York 2026-03-08 02:30 -> 03:00 EDT, 07:00Z),
//   however many times of the expression fell into the gap;
// - a local time repeated by a fall-back overlap fires once, on its first
//   pass (the earlier instant), unless the hour field starts with '*'
//   ("*/15 * * * *", "0 * * * *"): such schedules keep firing through the
//   repeated hour in real time, as Vixie cron and cronie do for them.
#pragma once

#include <cstdint>
#include <optional>

#include "cron_expression.hpp"
#include "time_zone.hpp"

namespace ferry::cron {

class Schedule {
 public:
  static Schedule cron(CronExpression expression, TimeZone zone);
  // Fires at every multiple of interval_ms since the Unix epoch (so
  // 3600000 fires on every full hour UTC, whenever the engine started).
  static Schedule every(int64_t interval_ms);

  // The first fire time strictly after after_ms; nullopt for never.
  std::optional<int64_t> next_after(int64_t after_ms) const;

 private:
  Schedule() = default;
  std::optional<int64_t> next_cron(int64_t after_ms) const;

  std::optional<CronExpression> expression_;
  TimeZone zone_ = TimeZone::utc();
  int64_t interval_ms_ = 0;
};

}  // namespace ferry::cron
