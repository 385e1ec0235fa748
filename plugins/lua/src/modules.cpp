// require(name), when the admin allows it: Lua modules (text only) from
// the module_dirs, run once per state and cached. No C modules, no
// package library, no search outside module_dirs.
#include <filesystem>
#include <string>

#include "api.hpp"
#include "lua_util.hpp"
#include "runtime.hpp"

namespace ferry::lua {
namespace {

const char kModules = 0;  // registry key of the name -> module table
const char kLoading = 0;  // cache value while a module is loading

// "a.b_c": letters, digits, _ and single dots between parts.
bool valid_name(std::string_view name) {
  if (name.empty() || name.front() == '.' || name.back() == '.') return false;
  char previous = 0;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
    if (!ok || (c == '.' && previous == '.')) return false;
    previous = c;
  }
  return true;
}

int l_require(lua_State* L) {
  const std::string_view name = check_view(L, 1);
  if (!valid_name(name))
    return luaL_error(L, "require: bad module name \"%s\" (letters, digits, _ and dots)", std::string(name).c_str());
  lua_rawgetp(L, LUA_REGISTRYINDEX, &kModules);
  const int cache = lua_gettop(L);
  lua_pushvalue(L, 1);
  if (lua_rawget(L, cache) != LUA_TNIL) {
    if (lua_touserdata(L, -1) == &kLoading)
      return luaL_error(L, "require: module '%s' requires itself (a loop)", std::string(name).c_str());
    return 1;
  }
  lua_pop(L, 1);

  std::string file, tried;
  const bool found = protect(L, [&] {
    std::string relative(name);
    for (char& c : relative)
      if (c == '.') c = '/';
    relative += ".lua";
    for (const std::string& dir : runtime(L).options.module_dirs) {
      const std::filesystem::path candidate = std::filesystem::path(dir) / relative;
      std::error_code ec;
      if (std::filesystem::is_regular_file(candidate, ec)) {
        file = candidate.string();
        return 1;
      }
      tried += (tried.empty() ? "" : ", ") + candidate.string();
    }
    return 0;
  }) != 0;
  if (!found)
    return luaL_error(L, "require: module '%s' not found (tried: %s)", std::string(name).c_str(),
                      tried.empty() ? "no module_dirs" : tried.c_str());

  lua_pushvalue(L, 1);
  lua_pushlightuserdata(L, const_cast<char*>(&kLoading));
  lua_rawset(L, cache);
  bool ok = luaL_loadfilex(L, file.c_str(), "t") == LUA_OK;
  if (ok) {
    lua_pushvalue(L, 1);
    ok = lua_pcall(L, 1, 1, 0) == LUA_OK;
  }
  if (!ok) {  // forget it, so that the next require tries again; pass the error on
    lua_pushvalue(L, 1);
    lua_pushnil(L);
    lua_rawset(L, cache);
    return lua_error(L);
  }
  if (lua_isnil(L, -1)) {
    lua_pop(L, 1);
    lua_pushboolean(L, 1);
  }
  lua_pushvalue(L, 1);
  lua_pushvalue(L, -2);
  lua_rawset(L, cache);
  return 1;
}

}  // namespace

void open_require(lua_State* L) {
  lua_newtable(L);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &kModules);
  lua_register(L, "require", l_require);
}

}  // namespace ferry::lua
