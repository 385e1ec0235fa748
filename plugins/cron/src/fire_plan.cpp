#include "fire_plan.hpp"

namespace ferry::cron {

FireAnswer FirePlan::next_fire(int64_t after_ms, int64_t now_ms) {
  using Why = FireAnswer::Why;
  const bool first = first_after_start_;
  first_after_start_ = false;
  if (first && run_on_start_) return {now_ms, Why::run_on_start, 0};
  const auto next = schedule_.next_after(after_ms);
  if (!next || *next >= now_ms - kLateMs) return {next, Why::scheduled, 0};
  if (missed_ == Missed::run_once) return {next, Why::missed_run_once, *next};
  return {schedule_.next_after(now_ms), Why::missed_skipped, *next};
}

}  // namespace ferry::cron
