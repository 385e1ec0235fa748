// The libraries a script gets, and the admin's opt-ins.
//
// Always: the base functions (without dofile, loadfile, warn; load only
// for text; setmetatable refusing __gc; collectgarbage limited to
// "collect", "count" and "step"), string (without string.dump), table,
// math, utf8, coroutine. Never: os.exit, os.setlocale (process-wide),
// package, debug (except debug.traceback), loading bytecode.
#include <string>

#include "api.hpp"
#include "lua_util.hpp"
#include "options.hpp"

namespace ferry::lua {

const char* const kAllowedOptIns[] = {"os",         "os.clock",  "os.date",   "os.difftime", "os.getenv",
                                      "os.time",    "os.execute", "os.remove", "os.rename",   "os.tmpname",
                                      "io",         "require",   "debug.traceback", nullptr};

namespace {

// load(chunk [, name [, mode [, env]]]) with mode forced to "t": bytecode
// is never loaded (it can break the VM's memory safety).
int l_load(lua_State* L) {
  const int n = lua_gettop(L);
  if (n < 3) lua_settop(L, 3);
  if (!lua_isnoneornil(L, 3)) {
    const std::string_view mode = to_view(L, 3);
    if (mode.find('t') == std::string_view::npos)
      return luaL_error(L, "load: only text chunks can be loaded (mode \"t\"), not bytecode");
  }
  lua_pushliteral(L, "t");
  lua_replace(L, 3);
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, n < 3 ? 3 : n, LUA_MULTRET);
  return lua_gettop(L);
}

// Finalizers would run at times no budget covers (between messages, when
// the state closes), so metatables with __gc are refused.
int l_setmetatable(lua_State* L) {
  if (lua_type(L, 2) == LUA_TTABLE) {
    lua_pushliteral(L, "__gc");
    if (lua_rawget(L, 2) != LUA_TNIL) return luaL_error(L, "setmetatable: __gc (finalizers) is not allowed in the sandbox");
    lua_pop(L, 1);
  }
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, 1);
  return 1;
}

int l_collectgarbage(lua_State* L) {
  const std::string_view option = lua_isnoneornil(L, 1) ? std::string_view("collect") : check_view(L, 1);
  if (option != "collect" && option != "count" && option != "step")
    return luaL_error(L, "collectgarbage(\"%s\") is not allowed in the sandbox (only \"collect\", \"count\", \"step\")",
                      std::string(option).c_str());
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
  return lua_gettop(L);
}

// Replace global `name` by `fn` with the original as its upvalue.
void wrap_global(lua_State* L, const char* name, lua_CFunction fn) {
  lua_getglobal(L, name);
  lua_pushcclosure(L, fn, 1);
  lua_setglobal(L, name);
}

void remove_field(lua_State* L, int table, const char* name) {
  lua_pushnil(L);
  lua_setfield(L, table < 0 ? table - 1 : table, name);
}

bool allowed(const Options& o, const std::string& name) { return o.allow.count(name) != 0; }

// os: the functions the admin allowed, never exit or setlocale.
void open_os(lua_State* L, const Options& o) {
  static const char* const functions[] = {"clock",  "date",   "difftime", "getenv", "time",
                                          "execute", "remove", "rename",   "tmpname"};
  luaL_requiref(L, "os", luaopen_os, 0);
  lua_newtable(L);
  bool any = false;
  for (const char* f : functions) {
    if (!allowed(o, "os") && !allowed(o, std::string("os.") + f)) continue;
    lua_getfield(L, -2, f);
    lua_setfield(L, -2, f);
    any = true;
  }
  if (any)
    lua_setglobal(L, "os");
  else
    lua_pop(L, 1);
  lua_pop(L, 1);
}

void open_debug_traceback(lua_State* L) {
  luaL_requiref(L, "debug", luaopen_debug, 0);
  lua_newtable(L);
  lua_getfield(L, -2, "traceback");
  lua_setfield(L, -2, "traceback");
  lua_setglobal(L, "debug");
  lua_pop(L, 1);
}

void protect_string_metatable(lua_State* L) {
  lua_pushliteral(L, "");
  lua_getmetatable(L, -1);
  lua_pushboolean(L, 0);  // getmetatable("") is false: string methods cannot be swapped
  lua_setfield(L, -2, "__metatable");
  lua_pop(L, 2);
}

}  // namespace

void open_sandbox(lua_State* L, const Options& o) {
  luaL_requiref(L, LUA_GNAME, luaopen_base, 1);
  lua_pop(L, 1);
  for (const char* name : {"dofile", "loadfile", "warn"}) {
    lua_pushnil(L);
    lua_setglobal(L, name);
  }
  wrap_global(L, "load", l_load);
  wrap_global(L, "setmetatable", l_setmetatable);
  wrap_global(L, "collectgarbage", l_collectgarbage);

  luaL_requiref(L, LUA_STRLIBNAME, luaopen_string, 1);
  remove_field(L, -1, "dump");
  lua_pop(L, 1);
  protect_string_metatable(L);
  static const luaL_Reg libraries[] = {{LUA_TABLIBNAME, luaopen_table},
                                       {LUA_MATHLIBNAME, luaopen_math},
                                       {LUA_UTF8LIBNAME, luaopen_utf8},
                                       {LUA_COLIBNAME, luaopen_coroutine}};
  for (const luaL_Reg& lib : libraries) {
    luaL_requiref(L, lib.name, lib.func, 1);
    lua_pop(L, 1);
  }

  open_os(L, o);
  if (allowed(o, "io")) {
    luaL_requiref(L, LUA_IOLIBNAME, luaopen_io, 1);
    lua_pop(L, 1);
  }
  if (allowed(o, "debug.traceback")) open_debug_traceback(L);
  if (allowed(o, "require")) open_require(L);
}

}  // namespace ferry::lua
