#include "budget.hpp"

#include <algorithm>

#include "lua_util.hpp"
#include "runtime.hpp"

namespace ferry::lua {
namespace {

constexpr int64_t kHookInterval = 1000;  // instructions between checks

int interval_for(int64_t max_instructions) {
  return static_cast<int>(std::clamp<int64_t>(max_instructions, 1, kHookInterval));
}

void count_hook(lua_State* L, lua_Debug* ar) {
  Budget& b = runtime(L).budget;
  if (!b.active) return;
  if (b.stop == Budget::Stop::none) {
    b.used += interval_for(b.max_instructions);
    if (b.used > b.max_instructions)
      b.stop = Budget::Stop::instructions;
    else if (std::chrono::steady_clock::now() >= b.deadline)
      b.stop = Budget::Stop::time;
    else
      return;
    lua_getinfo(L, "Sl", ar);
    const std::string where = std::string(ar->short_src) + ":" + std::to_string(ar->currentline) + ": ";
    b.message = where + (b.stop == Budget::Stop::instructions
                             ? "stopped: more than " + std::to_string(b.max_instructions) +
                                   " instructions (max_instructions)"
                             : "stopped: ran longer than " + std::to_string(b.timeout_ms) + " ms (timeout_ms)");
    // From now on every instruction raises again, so a script that catches
    // the error with pcall cannot keep running.
    lua_sethook(L, count_hook, LUA_MASKCOUNT, 1);
  }
  push_view(L, b.message);
  lua_error(L);
}

}  // namespace

void Budget::install(lua_State* L) const { lua_sethook(L, count_hook, LUA_MASKCOUNT, interval_for(max_instructions)); }

void Budget::begin(lua_State* L) {
  active = true;
  used = 0;
  stop = Stop::none;
  message.clear();
  deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  install(L);
}

}  // namespace ferry::lua
