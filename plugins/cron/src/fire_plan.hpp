// The answer cron.schedule gives the host's next_fire(after_ms): the
// schedule's next time, adjusted for runs missed while the engine was down
// and for run_on_start. Pure: the clock is passed in.
//
// The host asks with after_ms = the channel's last fire time (kept in its
// store) on the first call after a start, and fires a time already past at
// once. So a fire time that is more than kLateMs in the past is a missed
// run: `skip` answers the next time after now instead, `run_once` answers it
// (it fires at once, and the host then continues from now: one catch-up run
// however many were missed). A time less than kLateMs past is only late
// (the engine was busy) and always fires.
#pragma once

#include <cstdint>
#include <optional>

#include "schedule.hpp"

namespace ferry::cron {

enum class Missed { skip, run_once };

struct FireAnswer {
  enum class Why { scheduled, run_on_start, missed_run_once, missed_skipped };
  std::optional<int64_t> next;  // nullopt: never again
  Why why = Why::scheduled;
  int64_t missed = 0;  // the first missed fire time (missed_*)
};

class FirePlan {
 public:
  static constexpr int64_t kLateMs = 1000;

  FirePlan(Schedule schedule, Missed missed, bool run_on_start)
      : schedule_(std::move(schedule)), missed_(missed), run_on_start_(run_on_start) {}

  // Called at start(): the next answer is the first after a start.
  void started() { first_after_start_ = true; }

  FireAnswer next_fire(int64_t after_ms, int64_t now_ms);

 private:
  Schedule schedule_;
  Missed missed_;
  bool run_on_start_;
  bool first_after_start_ = false;
};

}  // namespace ferry::cron
