// Small helpers every Lua-facing file uses.
//
// We link Debian's C++ build of Lua: lua_error() throws a C++ exception
// (not std::exception), so Lua errors unwind our frames properly. The other
// direction needs care: a std::exception escaping a lua_CFunction would
// reach Lua's catch(...) and give lua_pcall an unknown status. protect()
// turns it into an ordinary Lua error at the caller's line.
#pragma once

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include <exception>
#include <string>
#include <string_view>

namespace ferry::lua {

// Raise a Lua error "<where>: text", where is the calling Lua line.
[[noreturn]] void raise_error(lua_State* L, std::string_view text);

// Run the body of a lua_CFunction; a std::exception becomes a Lua error.
// Never catch (...) around Lua calls: that would swallow Lua's own errors.
template <class F>
int protect(lua_State* L, F&& body) {
  std::string text;
  try {
    return body();
  } catch (const std::exception& e) {
    try {
      text = e.what();
    } catch (const std::exception&) {
      text = "out of memory";
    }
  }
  raise_error(L, text);
}

inline std::string_view to_view(lua_State* L, int index) {
  size_t n = 0;
  const char* p = lua_tolstring(L, index, &n);
  return p == nullptr ? std::string_view() : std::string_view(p, n);
}

// luaL_checklstring as a view.
inline std::string_view check_view(lua_State* L, int arg) {
  size_t n = 0;
  const char* p = luaL_checklstring(L, arg, &n);
  return std::string_view(p, n);
}

inline void push_view(lua_State* L, std::string_view s) { lua_pushlstring(L, s.data(), s.size()); }

}  // namespace ferry::lua
