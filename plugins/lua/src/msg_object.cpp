#include "msg_object.hpp"

#include <string>

#include "api.hpp"
#include "json_lua.hpp"
#include "runtime.hpp"

namespace ferry::lua {
namespace {

constexpr int kMetaSlot = 1;
constexpr int kJsonSlot = 2;

int push_json_of(lua_State* L, MsgBox& box, MessageContext& m) {
  if (box.json_version == m.version()) {
    lua_getiuservalue(L, 1, kJsonSlot);
    return 1;
  }
  try {
    push_parsed_json(L, m.content());
  } catch (const std::runtime_error& e) {
    throw std::runtime_error(std::string("msg.json: the content is not JSON: ") + e.what());
  }
  lua_pushvalue(L, -1);
  lua_setiuservalue(L, 1, kJsonSlot);
  box.json_version = m.version();
  return 1;
}

int set_json(lua_State* L, MessageContext& m, int value) {
  m.set_content(dump_json(to_json(L, value)));
  m.set_content_type(kJsonContentType);
  return 0;
}

int l_index(lua_State* L) {
  MsgBox& box = check_msg(L, 1);
  const std::string_view key = lua_type(L, 2) == LUA_TSTRING ? to_view(L, 2) : std::string_view();
  lua_pushvalue(L, 2);
  if (lua_rawget(L, lua_upvalueindex(1)) != LUA_TNIL) return 1;  // a method
  lua_pop(L, 1);
  return protect(L, [&] {
    MessageContext& m = current_message(L, box.generation);
    if (key == "content") {
      push_view(L, m.content());
    } else if (key == "content_type") {
      push_view(L, m.content_type());
    } else if (key == "raw") {
      push_view(L, m.original());
    } else if (key == "id") {
      lua_pushinteger(L, static_cast<lua_Integer>(m.host().id()));
    } else if (key == "meta") {
      if (lua_getiuservalue(L, 1, kMetaSlot) == LUA_TNIL) {
        lua_pop(L, 1);
        push_meta(L, box.generation);
        lua_pushvalue(L, -1);
        lua_setiuservalue(L, 1, kMetaSlot);
      }
    } else if (key == "json") {
      return push_json_of(L, box, m);
    } else {
      return luaL_error(L, "msg has no field '%s'", luaL_tolstring(L, 2, nullptr));
    }
    return 1;
  });
}

int l_newindex(lua_State* L) {
  MsgBox& box = check_msg(L, 1);
  const std::string_view key = lua_type(L, 2) == LUA_TSTRING ? to_view(L, 2) : std::string_view();
  return protect(L, [&] {
    MessageContext& m = current_message(L, box.generation);
    if (key == "content") {
      m.set_content(check_view(L, 3));
    } else if (key == "content_type") {
      m.set_content_type(check_view(L, 3));
    } else if (key == "json") {
      set_json(L, m, 3);
    } else {
      return luaL_error(L, "msg.%s cannot be assigned (msg.content, msg.content_type and msg.json can)",
                        luaL_tolstring(L, 2, nullptr));
    }
    return 0;
  });
}

int l_set_content(lua_State* L) {
  MessageContext& m = message_of(L, 1);
  const std::string_view content = check_view(L, 2);
  return protect(L, [&] {
    m.set_content(content);
    if (!lua_isnoneornil(L, 3)) m.set_content_type(check_view(L, 3));
    return 0;
  });
}

int l_set_json(lua_State* L) {
  MessageContext& m = message_of(L, 1);
  luaL_checkany(L, 2);
  return protect(L, [&] { return set_json(L, m, 2); });
}

int l_tostring(lua_State* L) {
  const MsgBox& box = check_msg(L, 1);
  const Runtime& rt = runtime(L);
  if (rt.message == nullptr || box.generation != rt.generation)
    lua_pushliteral(L, "msg (of an earlier call)");
  else
    lua_pushfstring(L, "msg %I", static_cast<lua_Integer>(rt.message->host().id()));
  return 1;
}

}  // namespace

MsgBox& check_msg(lua_State* L, int arg) {
  void* p = luaL_testudata(L, arg, kMsgType);
  if (p == nullptr)
    luaL_error(L, "bad argument #%d: expected msg, got %s (call methods with a colon: msg:get(path))", arg,
               luaL_typename(L, arg));
  return *static_cast<MsgBox*>(p);
}

MessageContext& message_of(lua_State* L, int arg) { return current_message(L, check_msg(L, arg).generation); }

void push_msg(lua_State* L, uint64_t generation) {
  auto* box = static_cast<MsgBox*>(lua_newuserdatauv(L, sizeof(MsgBox), 2));
  *box = MsgBox{generation, 0};
  luaL_setmetatable(L, kMsgType);
}

void open_msg(lua_State* L) {
  open_meta(L);
  luaL_newmetatable(L, kMsgType);
  static const luaL_Reg methods[] = {{"set_content", l_set_content}, {"set_json", l_set_json}, {nullptr, nullptr}};
  luaL_newlib(L, methods);
  add_hl7_methods(L);
  add_segment_methods(L);
  lua_pushcclosure(L, l_index, 1);
  lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, l_newindex);
  lua_setfield(L, -2, "__newindex");
  lua_pushcfunction(L, l_tostring);
  lua_setfield(L, -2, "__tostring");
  lua_pushboolean(L, 0);  // getmetatable(msg) is false: the methods cannot be swapped
  lua_setfield(L, -2, "__metatable");
  lua_pop(L, 1);
}

}  // namespace ferry::lua
