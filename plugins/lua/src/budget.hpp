// The per-message limits on running time: max_instructions (a count hook
// every `interval` VM instructions) and timeout_ms (the wall clock, read
// by the same hook). The hook stays installed for the life of the state
// and does nothing while no budget is running.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

struct lua_State;

namespace ferry::lua {

struct Budget {
  enum class Stop { none, instructions, time };

  int64_t max_instructions = 0;
  int64_t timeout_ms = 0;

  bool active = false;
  int64_t used = 0;  // instructions, in steps of the hook interval
  std::chrono::steady_clock::time_point deadline;
  Stop stop = Stop::none;
  std::string message;  // why and where it stopped (the first time)

  // Install the hook on a new state (new coroutines inherit it).
  void install(lua_State* L) const;
  // Start counting for one message (or the top-level chunk).
  void begin(lua_State* L);
  void end() { active = false; }
};

}  // namespace ferry::lua
