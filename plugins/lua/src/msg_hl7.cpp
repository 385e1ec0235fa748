// msg:get / msg:set / msg:clear / msg:repetitions: HL7 v2 values by path,
// through Ferry's HL7 library (paths and escapes as docs/hl7.md describes).
#include <string>

#include "msg_object.hpp"

namespace ferry::lua {
namespace {

int l_get(lua_State* L) {
  MessageContext& m = message_of(L, 1);
  return hl7_get(L, m, check_view(L, 2));
}

int l_set(lua_State* L) {
  MessageContext& m = message_of(L, 1);
  const std::string_view path = check_view(L, 2);
  luaL_checkany(L, 3);
  return hl7_set(L, m, path, 3);
}

int l_clear(lua_State* L) {
  MessageContext& m = message_of(L, 1);
  return hl7_clear(L, m, check_view(L, 2));
}

// The number of repetitions of a field; an empty field has none.
int l_repetitions(lua_State* L) {
  MessageContext& m = message_of(L, 1);
  const std::string_view path = check_view(L, 2);
  return protect(L, [&] {
    const hl7::Path p = hl7::Path::parse(path);
    if (p.field == 0 || p.component != 0)
      throw std::invalid_argument("msg:repetitions needs a field path such as PID-3, not \"" + std::string(path) + "\"");
    const std::string field = p.segment + (p.occurrence > 1 ? "[" + std::to_string(p.occurrence) + "]" : "") + "-" +
                              std::to_string(p.field);
    const hl7::Message& h = m.hl7();
    const size_t max = hl7::Limits{}.max_repetitions;
    size_t n = 0;
    while (n < max && h.get(field + "[" + std::to_string(n + 1) + "]")) ++n;
    if (n == 1 && h.get(field + "[1]")->empty()) n = 0;
    lua_pushinteger(L, static_cast<lua_Integer>(n));
    return 1;
  });
}

}  // namespace

int hl7_get(lua_State* L, MessageContext& m, std::string_view path) {
  return protect(L, [&] {
    const auto value = m.hl7().get(path);
    if (value)
      push_view(L, *value);
    else
      lua_pushnil(L);
    return 1;
  });
}

int hl7_set(lua_State* L, MessageContext& m, std::string_view path, int value) {
  const int type = lua_type(L, value);
  if (type == LUA_TNIL) return hl7_clear(L, m, path);
  if (type != LUA_TSTRING && type != LUA_TNUMBER)
    return luaL_error(L, "msg:set(\"%s\", value): the value must be a string, a number or nil (got %s)",
                      std::string(path).c_str(), luaL_typename(L, value));
  const std::string_view text = to_view(L, value);
  return protect(L, [&] {
    m.hl7().set(path, text);
    m.hl7_changed();
    return 0;
  });
}

int hl7_clear(lua_State* L, MessageContext& m, std::string_view path) {
  return protect(L, [&] {
    m.hl7().clear(path);
    m.hl7_changed();
    return 0;
  });
}

void add_hl7_methods(lua_State* L) {
  static const luaL_Reg methods[] = {
      {"get", l_get}, {"set", l_set}, {"clear", l_clear}, {"repetitions", l_repetitions}, {nullptr, nullptr}};
  luaL_setfuncs(L, methods, 0);
}

}  // namespace ferry::lua
