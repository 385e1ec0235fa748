// One script's Lua state and everything the Lua-facing functions need to
// reach from a lua_State: the options, the limits, the logger and the
// message being transformed. The state's extra space points here.
#pragma once

#include <lauxlib.h>
#include <lua.h>

#include <cstdint>
#include <optional>
#include <string>

#include "allocator.hpp"
#include "budget.hpp"
#include "options.hpp"

namespace ferry::lua {

class MessageContext;

struct Runtime {
  Runtime(Options o, Logger l);
  ~Runtime();
  Runtime(const Runtime&) = delete;
  Runtime& operator=(const Runtime&) = delete;

  // Make a fresh state: sandbox, API, the compiled chunk run once, and
  // `transform` looked up. On failure returns the error and leaves no state.
  std::optional<std::string> build();
  void close();
  // The text of a failed protected call (error object on top of the stack):
  // a limit's own text, or the script's error.
  std::string failure_text(int status) const;
  bool out_of_memory(int status) const;

  const Options options;
  const Logger log;
  Allocator alloc;
  Budget budget;
  lua_State* L = nullptr;
  int transform_ref = LUA_NOREF;
  std::string bytecode;  // the chunk compiled at create, for rebuilds

  // The message of the transform() call in progress. `msg` objects carry
  // the generation they were made for, so one kept past its call is refused.
  MessageContext* message = nullptr;
  uint64_t generation = 0;
  bool filtered = false;
  std::string filter_reason;
};

Runtime& runtime(lua_State* L);

// The message handler of every protected call: the error as a string that
// names the chunk and line (filter() signals pass unchanged).
int message_handler(lua_State* L);

// The message of the call in progress; raises a Lua error when there is
// none or `generation` is not the current call's.
MessageContext& current_message(lua_State* L, uint64_t generation);

}  // namespace ferry::lua
