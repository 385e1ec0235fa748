// A cron expression: 5 fields (minute hour day-of-month month day-of-week),
// 6 with a leading seconds field, or a shortcut (@daily...). Matching works
// on local wall-clock time; time zones and DST are schedule.cpp's job.
//
// Day matching follows Vixie cron: when both day fields are restricted, a
// day matches if EITHER matches ("0 0 1,15 * MON" = the 1st, the 15th and
// every Monday); when either field starts with '*' (or '?'), both must
// match, which makes the starred one a filter ("0 0 */2 * MON" = odd-
// numbered days that are Mondays), as in Vixie cron and cronie.
#pragma once

#include <bitset>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ferry::cron {

class CronExpression {
 public:
  // Throws std::invalid_argument naming the field and the bad part, e.g.
  // "minute field '61': 61 is out of range 0-59".
  static CronExpression parse(std::string_view text);

  // The first local wall-clock time (seconds since 1970-01-01 00:00:00
  // local) at or after `local` that matches; nullopt when none comes within
  // the 400-year Gregorian cycle (the expression can never match).
  std::optional<int64_t> next_match(int64_t local) const;

  // Whether the hour field starts with '*' ("*", "*/2"): such schedules keep
  // their rhythm in real time through a repeated (fall-back) hour.
  bool every_hour() const { return hour_star_; }
  const std::string& text() const { return text_; }
  // The five or six fields the expression stands for (a shortcut expanded).
  const std::string& fields() const { return fields_; }

 private:
  bool day_matches(unsigned day, unsigned weekday) const;

  std::string text_, fields_;
  std::bitset<60> seconds_, minutes_;
  std::bitset<24> hours_;
  std::bitset<32> days_;     // 1..31
  std::bitset<13> months_;   // 1..12
  std::bitset<7> weekdays_;  // 0 = Sunday
  bool dom_star_ = false, dow_star_ = false, hour_star_ = false;
};

}  // namespace ferry::cron
