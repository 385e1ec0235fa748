// Segments of the HL7 message: count, list, iterate, add, remove, and the
// segment objects (seg:get("5.1") reads OBX[2]-5.1 for the second OBX).
// Positions are 1-based over all segments (the MSH is 1); an occurrence
// counts segments of one name.
#include <string>

#include "msg_object.hpp"

namespace ferry::lua {
namespace {

constexpr const char* kSegmentType = "ferry.segment";

bool matches(const hl7::Message& h, size_t i, std::string_view name) {
  return name.empty() || h.segment_name(i) == name;
}

std::string_view optional_name(lua_State* L, int arg) {
  return lua_isnoneornil(L, arg) ? std::string_view() : check_view(L, arg);
}

// A segment object: {msg, name, index, occurrence, path} with seg methods.
void push_segment(lua_State* L, int msg, std::string_view name, size_t index, size_t occurrence) {
  msg = lua_absindex(L, msg);
  lua_createtable(L, 0, 5);
  lua_pushvalue(L, msg);
  lua_setfield(L, -2, "msg");
  push_view(L, name);
  lua_setfield(L, -2, "name");
  lua_pushinteger(L, static_cast<lua_Integer>(index + 1));
  lua_setfield(L, -2, "index");
  lua_pushinteger(L, static_cast<lua_Integer>(occurrence));
  lua_setfield(L, -2, "occurrence");
  const std::string path = std::string(name) + "[" + std::to_string(occurrence) + "]";
  push_view(L, path);
  lua_setfield(L, -2, "path");
  luaL_setmetatable(L, kSegmentType);
}

int l_segment_count(lua_State* L) {
  MessageContext& m = message_of(L, 1);
  const std::string_view name = optional_name(L, 2);
  return protect(L, [&] {
    const hl7::Message& h = m.hl7();
    size_t n = 0;
    for (size_t i = 0; i < h.segment_count(); ++i) n += matches(h, i, name) ? 1 : 0;
    lua_pushinteger(L, static_cast<lua_Integer>(n));
    return 1;
  });
}

// Upvalues: 1 msg, 2 name (or nil), 3 next position (0-based), 4 table name -> occurrences seen.
int l_segments_next(lua_State* L) {
  MessageContext& m = message_of(L, lua_upvalueindex(1));
  const std::string_view name = lua_isnil(L, lua_upvalueindex(2)) ? std::string_view() : to_view(L, lua_upvalueindex(2));
  return protect(L, [&] {
    const hl7::Message& h = m.hl7();
    size_t i = static_cast<size_t>(lua_tointeger(L, lua_upvalueindex(3)));
    while (i < h.segment_count() && !matches(h, i, name)) ++i;
    if (i >= h.segment_count()) return 0;
    const std::string seg = h.segment_name(i);
    lua_pushinteger(L, static_cast<lua_Integer>(i + 1));
    lua_replace(L, lua_upvalueindex(3));
    push_view(L, seg);
    const lua_Integer seen = lua_rawget(L, lua_upvalueindex(4)) == LUA_TNUMBER ? lua_tointeger(L, -1) + 1 : 1;
    lua_pop(L, 1);
    push_view(L, seg);
    lua_pushinteger(L, seen);
    lua_rawset(L, lua_upvalueindex(4));
    push_segment(L, lua_upvalueindex(1), seg, i, static_cast<size_t>(seen));
    return 1;
  });
}

// for seg in msg:segments("OBX") do ... end
int l_segments(lua_State* L) {
  check_msg(L, 1);
  if (!lua_isnoneornil(L, 2)) luaL_checkstring(L, 2);
  lua_settop(L, 2);
  lua_pushinteger(L, 0);
  lua_newtable(L);
  lua_pushcclosure(L, l_segments_next, 4);
  return 1;
}

// The segments (of one name) as a list of segment objects.
int l_segment_list(lua_State* L) {
  MessageContext& m = message_of(L, 1);
  const std::string_view name = optional_name(L, 2);
  return protect(L, [&] {
    const hl7::Message& h = m.hl7();
    lua_newtable(L);
    lua_newtable(L);  // name -> occurrences seen
    lua_Integer n = 0;
    for (size_t i = 0; i < h.segment_count(); ++i) {
      if (!matches(h, i, name)) continue;
      const std::string seg = h.segment_name(i);
      push_view(L, seg);
      const lua_Integer seen = lua_rawget(L, -2) == LUA_TNUMBER ? lua_tointeger(L, -1) + 1 : 1;
      lua_pop(L, 1);
      push_view(L, seg);
      lua_pushinteger(L, seen);
      lua_rawset(L, -3);
      push_segment(L, 1, seg, i, static_cast<size_t>(seen));
      lua_rawseti(L, -3, ++n);
    }
    lua_pop(L, 1);
    return 1;
  });
}

// msg:add_segment("ZFE|1|x" [, position]): returns the new segment's position.
int l_add_segment(lua_State* L) {
  MessageContext& m = message_of(L, 1);
  const std::string_view text = check_view(L, 2);
  const bool at_end = lua_isnoneornil(L, 3);
  const lua_Integer position = at_end ? 0 : luaL_checkinteger(L, 3);
  return protect(L, [&] {
    hl7::Message& h = m.hl7();
    const auto count = static_cast<lua_Integer>(h.segment_count());
    if (!at_end && (position < 2 || position > count + 1))
      throw std::out_of_range("msg:add_segment: position " + std::to_string(position) + " is not between 2 and " +
                              std::to_string(count + 1) + " (the MSH stays first)");
    h.insert_segment(text, at_end ? std::nullopt : std::optional<size_t>(static_cast<size_t>(position - 1)));
    m.hl7_changed();
    lua_pushinteger(L, at_end ? count + 1 : position);
    return 1;
  });
}

// The 0-based index of "OBX[2]" (or "OBX"), if present.
std::optional<size_t> find_segment(const hl7::Message& h, std::string_view path) {
  const hl7::Path p = hl7::Path::parse(path);
  if (p.field != 0)
    throw std::invalid_argument("a segment path such as OBX[2] is needed, not \"" + std::string(path) + "\"");
  size_t seen = 0;
  for (size_t i = 0; i < h.segment_count(); ++i)
    if (h.segment_name(i) == p.segment && ++seen == p.occurrence) return i;
  return std::nullopt;
}

// msg:remove_segment(position or "OBX[2]"): true if a segment was removed.
int l_remove_segment(lua_State* L) {
  MessageContext& m = message_of(L, 1);
  const bool by_position = lua_type(L, 2) == LUA_TNUMBER;
  const lua_Integer position = by_position ? luaL_checkinteger(L, 2) : 0;
  const std::string_view path = by_position ? std::string_view() : check_view(L, 2);
  return protect(L, [&] {
    hl7::Message& h = m.hl7();
    std::optional<size_t> index;
    if (by_position) {
      if (position == 1) throw std::invalid_argument("msg:remove_segment: the MSH (position 1) cannot be removed");
      if (position >= 2 && position <= static_cast<lua_Integer>(h.segment_count()))
        index = static_cast<size_t>(position - 1);
    } else {
      index = find_segment(h, path);
      if (index == 0u) throw std::invalid_argument("msg:remove_segment: the MSH cannot be removed");
    }
    if (index) {
      h.remove_segment(*index);
      m.hl7_changed();
    }
    lua_pushboolean(L, index ? 1 : 0);
    return 1;
  });
}

// msg:remove_segments("NTE"): removes every segment of that name, returns how many.
int l_remove_segments(lua_State* L) {
  MessageContext& m = message_of(L, 1);
  const std::string_view name = check_view(L, 2);
  return protect(L, [&] {
    if (name == "MSH") throw std::invalid_argument("msg:remove_segments: the MSH cannot be removed");
    hl7::Message& h = m.hl7();
    lua_Integer removed = 0;
    for (size_t i = h.segment_count(); i-- > 1;) {
      if (h.segment_name(i) != name) continue;
      h.remove_segment(i);
      ++removed;
    }
    if (removed > 0) m.hl7_changed();
    lua_pushinteger(L, removed);
    return 1;
  });
}

// Segment object methods: the path relative to the segment ("5", "5.1", 3).
std::string segment_path(lua_State* L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_getfield(L, 1, "path");
  const std::string base(to_view(L, -1));
  lua_pop(L, 1);
  if (lua_type(L, 2) != LUA_TNUMBER && lua_type(L, 2) != LUA_TSTRING)
    luaL_error(L, "bad argument #1: expected a field such as 5 or \"5.1\" (call methods with a colon: seg:get(5))");
  return base + "-" + std::string(to_view(L, 2));
}

MessageContext& segment_message(lua_State* L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_getfield(L, 1, "msg");
  MessageContext& m = message_of(L, -1);
  lua_pop(L, 1);
  return m;
}

int l_seg_get(lua_State* L) {
  MessageContext& m = segment_message(L);
  return hl7_get(L, m, segment_path(L));
}

int l_seg_set(lua_State* L) {
  MessageContext& m = segment_message(L);
  const std::string path = segment_path(L);
  luaL_checkany(L, 3);
  return hl7_set(L, m, path, 3);
}

int l_seg_clear(lua_State* L) {
  MessageContext& m = segment_message(L);
  return hl7_clear(L, m, segment_path(L));
}

int l_seg_text(lua_State* L) {
  MessageContext& m = segment_message(L);
  lua_getfield(L, 1, "path");
  const std::string path(to_view(L, -1));
  return hl7_get(L, m, path);
}

}  // namespace

void add_segment_methods(lua_State* L) {
  static const luaL_Reg methods[] = {{"segments", l_segments},
                                     {"segment_count", l_segment_count},
                                     {"segment_list", l_segment_list},
                                     {"add_segment", l_add_segment},
                                     {"remove_segment", l_remove_segment},
                                     {"remove_segments", l_remove_segments},
                                     {nullptr, nullptr}};
  luaL_setfuncs(L, methods, 0);

  luaL_newmetatable(L, kSegmentType);
  static const luaL_Reg seg_methods[] = {
      {"get", l_seg_get}, {"set", l_seg_set}, {"clear", l_seg_clear}, {"text", l_seg_text}, {nullptr, nullptr}};
  luaL_newlib(L, seg_methods);
  lua_setfield(L, -2, "__index");
  lua_pushboolean(L, 0);
  lua_setfield(L, -2, "__metatable");
  lua_pop(L, 1);
}

}  // namespace ferry::lua
