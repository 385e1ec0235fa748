// msg.meta: the message's metadata as a table-like object. Reads and
// writes go straight to the host message.
#include <string>

#include "msg_object.hpp"
#include "runtime.hpp"

namespace ferry::lua {
namespace {

constexpr const char* kMetaType = "ferry.meta";

struct MetaBox {
  uint64_t generation = 0;
};

MessageContext& meta_message(lua_State* L) {
  const auto* box = static_cast<MetaBox*>(luaL_checkudata(L, 1, kMetaType));
  return current_message(L, box->generation);
}

int l_index(lua_State* L) {
  MessageContext& m = meta_message(L);
  const std::string_view key = check_view(L, 2);
  return protect(L, [&] {
    const auto value = m.host().meta(key);
    if (value)
      push_view(L, *value);
    else
      lua_pushnil(L);
    return 1;
  });
}

int l_newindex(lua_State* L) {
  MessageContext& m = meta_message(L);
  const std::string_view key = check_view(L, 2);
  const int type = lua_type(L, 3);
  if (type != LUA_TNIL && type != LUA_TSTRING && type != LUA_TNUMBER)
    return luaL_error(L, "msg.meta[\"%s\"]: a value must be a string, a number or nil (got %s)",
                      std::string(key).c_str(), luaL_typename(L, 3));
  const std::string_view value = type == LUA_TNIL ? std::string_view() : to_view(L, 3);
  return protect(L, [&] {
    if (key.empty()) throw std::invalid_argument("msg.meta: a key must not be empty");
    if (type == LUA_TNIL)
      m.host().remove_meta(key);
    else
      m.host().set_meta(key, value);
    return 0;
  });
}

// for key, value in pairs(msg.meta): the entries in insertion order.
int l_next(lua_State* L) {
  MessageContext& m = meta_message(L);
  const lua_Integer i = lua_tointeger(L, lua_upvalueindex(1));
  return protect(L, [&] {
    if (static_cast<size_t>(i) >= m.host().meta_count()) return 0;
    const auto [key, value] = m.host().meta_at(static_cast<size_t>(i));
    lua_pushinteger(L, i + 1);
    lua_replace(L, lua_upvalueindex(1));
    push_view(L, key);
    push_view(L, value);
    return 2;
  });
}

int l_pairs(lua_State* L) {
  luaL_checkudata(L, 1, kMetaType);
  lua_pushinteger(L, 0);
  lua_pushcclosure(L, l_next, 1);
  lua_pushvalue(L, 1);
  lua_pushnil(L);
  return 3;
}

}  // namespace

void push_meta(lua_State* L, uint64_t generation) {
  auto* box = static_cast<MetaBox*>(lua_newuserdatauv(L, sizeof(MetaBox), 0));
  box->generation = generation;
  luaL_setmetatable(L, kMetaType);
}

void open_meta(lua_State* L) {
  luaL_newmetatable(L, kMetaType);
  static const luaL_Reg fields[] = {
      {"__index", l_index}, {"__newindex", l_newindex}, {"__pairs", l_pairs}, {nullptr, nullptr}};
  luaL_setfuncs(L, fields, 0);
  lua_pushboolean(L, 0);
  lua_setfield(L, -2, "__metatable");
  lua_pop(L, 1);
}

}  // namespace ferry::lua
