// log.debug/info/warn/error(...) and print(...) write to the Ferry log
// through the host; filter(reason) drops the message.
#include <string>

#include "api.hpp"
#include "lua_util.hpp"
#include "runtime.hpp"

namespace ferry::lua {
namespace {

constexpr size_t kMaxLogLine = 8192;
const char kFilterSignal = 0;  // its address is the value filter() raises

int write_log(lua_State* L, LogLevel level) {
  const int n = lua_gettop(L);
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  for (int i = 1; i <= n; ++i) {
    if (i > 1) luaL_addchar(&b, ' ');
    luaL_tolstring(L, i, nullptr);  // honours __tostring
    luaL_addvalue(&b);
  }
  luaL_pushresult(&b);
  std::string_view line = to_view(L, -1);
  std::string shortened;
  if (line.size() > kMaxLogLine) {
    shortened = std::string(line.substr(0, kMaxLogLine)) + "... (" + std::to_string(line.size()) + " bytes)";
    line = shortened;
  }
  return protect(L, [&] {
    const Runtime& rt = runtime(L);
    if (rt.log) rt.log(level, line);
    return 0;
  });
}

int l_debug(lua_State* L) { return write_log(L, LogLevel::debug); }
int l_info(lua_State* L) { return write_log(L, LogLevel::info); }
int l_warn(lua_State* L) { return write_log(L, LogLevel::warn); }
int l_error(lua_State* L) { return write_log(L, LogLevel::error); }

// filter([reason]): the message goes no further. Raises a signal that ends
// the script; the outcome holds even if a pcall catches the signal.
int l_filter(lua_State* L) {
  const std::string_view reason = lua_isnoneornil(L, 1) ? std::string_view("filtered by the script") : check_view(L, 1);
  Runtime& rt = runtime(L);
  if (rt.message == nullptr) return luaL_error(L, "filter() works only inside transform(msg)");
  rt.filtered = true;
  rt.filter_reason = reason;
  push_filter_signal(L);
  return lua_error(L);
}

}  // namespace

void push_filter_signal(lua_State* L) { lua_pushlightuserdata(L, const_cast<char*>(&kFilterSignal)); }

bool is_filter_signal(lua_State* L, int index) {
  return lua_type(L, index) == LUA_TLIGHTUSERDATA && lua_touserdata(L, index) == &kFilterSignal;
}

void open_log(lua_State* L) {
  static const luaL_Reg functions[] = {
      {"debug", l_debug}, {"info", l_info}, {"warn", l_warn}, {"error", l_error}, {nullptr, nullptr}};
  luaL_newlib(L, functions);
  lua_setglobal(L, "log");
  lua_register(L, "print", l_info);
  lua_register(L, "filter", l_filter);
}

}  // namespace ferry::lua
