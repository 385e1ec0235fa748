#include "schedule.hpp"

#include <algorithm>
#include <limits>

namespace ferry::cron {

namespace {

constexpr int64_t kDay = 86400;
// No match within one Gregorian cycle (and a bit) means never.
constexpr int64_t kGiveUpAfter = 401LL * 366 * kDay;

int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0); }

}  // namespace

Schedule Schedule::cron(CronExpression expression, TimeZone zone) {
  Schedule s;
  s.expression_ = std::move(expression);
  s.zone_ = std::move(zone);
  return s;
}

Schedule Schedule::every(int64_t interval_ms) {
  Schedule s;
  s.interval_ms_ = interval_ms;
  return s;
}

std::optional<int64_t> Schedule::next_after(int64_t after_ms) const {
  if (expression_) return next_cron(after_ms);
  if (interval_ms_ <= 0 || after_ms > std::numeric_limits<int64_t>::max() - interval_ms_) return std::nullopt;
  return (floor_div(after_ms, interval_ms_) + 1) * interval_ms_;
}

// Walks the zone's spans of constant UTC offset from after_ms on. Inside a
// span local time runs straight, so the expression's next local match maps
// to exactly one instant; the DST rules live at the span boundaries.
std::optional<int64_t> Schedule::next_cron(int64_t after_ms) const {
  const CronExpression& e = *expression_;
  int64_t s = floor_div(after_ms, 1000) + 1;  // fire times are whole seconds
  const int64_t give_up = s + kGiveUpAfter;
  while (s <= give_up) {
    const OffsetSpan span = zone_.span_at(s);
    const OffsetSpan before = zone_.span_at(span.begin - 1);
    // Entering a span after a spring-forward gap: the wall-clock times the
    // gap swallowed fire once, at the first instant after it.
    if (s == span.begin && before.offset < span.offset) {
      const auto in_gap = e.next_match(span.begin + before.offset);
      if (in_gap && *in_gap < span.begin + span.offset) return span.begin * 1000;
    }
    int64_t from_local = s + span.offset;
    // After a fall-back, the repeated wall-clock times already fired on
    // their first pass (unless the schedule runs every hour).
    if (before.offset > span.offset && !e.every_hour())
      from_local = std::max(from_local, span.begin + before.offset);
    const auto match = e.next_match(from_local);
    if (!match) return std::nullopt;
    if (*match < span.end + span.offset) return (*match - span.offset) * 1000;
    // Not in this span. Jump to a few days before the match: the spans in
    // between cannot hold an earlier match (their gaps lie before it too).
    s = std::max(span.end, *match - span.offset - 3 * kDay);
  }
  return std::nullopt;
}

}  // namespace ferry::cron
