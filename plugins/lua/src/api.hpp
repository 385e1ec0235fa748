// What each Lua-facing file adds to a new state. Called in this order by
// Runtime::build(), inside a protected call.
#pragma once

#include <cstdint>

struct lua_State;

namespace ferry::lua {

struct Options;

void open_sandbox(lua_State* L, const Options& options);  // sandbox.cpp: the libraries, opt-ins
void open_require(lua_State* L);                          // modules.cpp: require (opt-in)
void open_json(lua_State* L);                             // json_lua.cpp: json, markers
void open_log(lua_State* L);                              // log_api.cpp: log, print, filter
void open_msg(lua_State* L);                              // msg_object.cpp: msg, msg.meta, segments

// A new `msg` object for the call of this generation (msg_object.cpp).
void push_msg(lua_State* L, uint64_t generation);

// filter() raises this value; the message handler lets it through.
void push_filter_signal(lua_State* L);
bool is_filter_signal(lua_State* L, int index);

}  // namespace ferry::lua
