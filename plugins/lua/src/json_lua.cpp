#include "json_lua.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "api.hpp"
#include "lua_util.hpp"

namespace ferry::lua {
namespace {

using nlohmann::json;

// Registry keys of the two marker metatables (their addresses are the keys).
const char kArrayMarker = 0;
const char kObjectMarker = 0;
constexpr int kMaxDepth = 200;

void set_marker(lua_State* L, const char* marker) {  // on the table at the top
  lua_rawgetp(L, LUA_REGISTRYINDEX, marker);
  lua_setmetatable(L, -2);
}

int table_size_hint(size_t n) { return static_cast<int>(std::min<size_t>(n, 1u << 20)); }

void push_value(lua_State* L, const json& j, int depth) {
  if (depth > kMaxDepth) luaL_error(L, "the JSON is nested more than %d levels deep", kMaxDepth);
  luaL_checkstack(L, 4, "the JSON is nested too deeply");
  switch (j.type()) {
    case json::value_t::null:
      lua_pushlightuserdata(L, nullptr);
      break;
    case json::value_t::boolean:
      lua_pushboolean(L, j.get<bool>() ? 1 : 0);
      break;
    case json::value_t::number_integer:
      lua_pushinteger(L, static_cast<lua_Integer>(j.get<int64_t>()));
      break;
    case json::value_t::number_unsigned: {
      const uint64_t u = j.get<uint64_t>();
      if (u <= static_cast<uint64_t>(std::numeric_limits<lua_Integer>::max()))
        lua_pushinteger(L, static_cast<lua_Integer>(u));
      else
        lua_pushnumber(L, static_cast<lua_Number>(u));
      break;
    }
    case json::value_t::number_float:
      lua_pushnumber(L, j.get<double>());
      break;
    case json::value_t::string:
      push_view(L, j.get_ref<const std::string&>());
      break;
    case json::value_t::array: {
      const auto& a = j.get_ref<const json::array_t&>();
      lua_createtable(L, table_size_hint(a.size()), 0);
      for (size_t i = 0; i < a.size(); ++i) {
        push_value(L, a[i], depth + 1);
        lua_rawseti(L, -2, static_cast<lua_Integer>(i + 1));
      }
      set_marker(L, &kArrayMarker);
      break;
    }
    case json::value_t::object: {
      const auto& o = j.get_ref<const json::object_t&>();
      lua_createtable(L, 0, table_size_hint(o.size()));
      for (const auto& [key, value] : o) {
        push_view(L, key);
        push_value(L, value, depth + 1);
        lua_rawset(L, -3);
      }
      set_marker(L, &kObjectMarker);
      break;
    }
    default:  // binary, discarded: never produced by the parser
      lua_pushnil(L);
  }
}

// RFC 6901 escaping of one reference token.
std::string pointer_token(std::string_view key) {
  std::string out;
  for (char c : key) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

// Where value_of is, as the keys and indexes leading there; the views stay
// valid during the walk (Lua keys on the stack, or a caller's local). The
// JSON pointer is built only for an error message.
struct Step {
  std::string_view key;
  lua_Integer index = -1;  // >= 0: an array position
};
using Where = std::vector<Step>;

[[noreturn]] void fail_at(const Where& where, const std::string& what) {
  std::string pointer;
  for (const Step& s : where) pointer += "/" + (s.index >= 0 ? std::to_string(s.index) : pointer_token(s.key));
  throw std::runtime_error("cannot write as JSON at " + (pointer.empty() ? std::string("the top") : pointer) +
                           ": " + what);
}

bool has_marker(lua_State* L, int index, const char* marker) {
  if (lua_getmetatable(L, index) == 0) return false;
  lua_rawgetp(L, LUA_REGISTRYINDEX, marker);
  const bool same = lua_rawequal(L, -1, -2) != 0;
  lua_pop(L, 2);
  return same;
}

json value_of(lua_State* L, int index, Where& where, int depth);

// A sequence 1..n with n > 0 and nothing else.
bool is_sequence(lua_State* L, int index, lua_Integer& n) {
  lua_Integer count = 0, max = 0;
  bool only_positive_integers = true;
  lua_pushnil(L);
  while (lua_next(L, index) != 0) {
    lua_pop(L, 1);
    ++count;
    if (lua_isinteger(L, -1) && lua_tointeger(L, -1) > 0)
      max = std::max(max, lua_tointeger(L, -1));
    else
      only_positive_integers = false;
  }
  n = count;
  return only_positive_integers && count > 0 && max == count;
}

json array_of(lua_State* L, int index, lua_Integer n, Where& where, int depth) {
  json out = json::array();
  out.get_ref<json::array_t&>().reserve(static_cast<size_t>(std::min<lua_Integer>(n, 1 << 20)));
  for (lua_Integer i = 1; i <= n; ++i) {
    lua_rawgeti(L, index, i);
    where.push_back({{}, i - 1});
    out.push_back(value_of(L, -1, where, depth + 1));
    where.pop_back();
    lua_pop(L, 1);
  }
  return out;
}

json object_of(lua_State* L, int index, Where& where, int depth) {
  json out = json::object();
  lua_pushnil(L);
  while (lua_next(L, index) != 0) {
    std::string key;
    if (lua_type(L, -2) == LUA_TSTRING)
      key = to_view(L, -2);  // a string key: no conversion, lua_next stays valid
    else if (lua_isinteger(L, -2))
      key = std::to_string(lua_tointeger(L, -2));
    else
      fail_at(where, std::string("an object key must be a string or an integer, not a ") + luaL_typename(L, -2));
    where.push_back({key, -1});
    json value = value_of(L, -1, where, depth + 1);
    where.pop_back();
    out.get_ref<json::object_t&>().insert_or_assign(std::move(key), std::move(value));
    lua_pop(L, 1);
  }
  return out;
}

json value_of(lua_State* L, int index, Where& where, int depth) {
  index = lua_absindex(L, index);
  switch (lua_type(L, index)) {
    case LUA_TNIL:
      return nullptr;
    case LUA_TBOOLEAN:
      return lua_toboolean(L, index) != 0;
    case LUA_TNUMBER: {
      if (lua_isinteger(L, index)) return static_cast<int64_t>(lua_tointeger(L, index));
      const double d = lua_tonumber(L, index);
      if (!std::isfinite(d)) fail_at(where, "NaN and infinities have no JSON form");
      return d;
    }
    case LUA_TSTRING:
      return std::string(to_view(L, index));
    case LUA_TLIGHTUSERDATA:
      if (lua_touserdata(L, index) == nullptr) return nullptr;  // json.null
      break;
    case LUA_TTABLE: {
      if (depth > kMaxDepth)
        fail_at(where, "nested more than " + std::to_string(kMaxDepth) + " levels deep (does a table contain itself?)");
      if (lua_checkstack(L, 4) == 0) fail_at(where, "nested too deeply");
      if (has_marker(L, index, &kArrayMarker))
        return array_of(L, index, static_cast<lua_Integer>(lua_rawlen(L, index)), where, depth);
      if (has_marker(L, index, &kObjectMarker)) return object_of(L, index, where, depth);
      lua_Integer n = 0;
      if (is_sequence(L, index, n)) return array_of(L, index, n, where, depth);
      return object_of(L, index, where, depth);
    }
    default:
      break;
  }
  fail_at(where, std::string("a ") + luaL_typename(L, index) + " value has no JSON form");
}

// nlohmann's what() starts with "[json.exception.parse_error.101] ".
std::string without_tag(const char* what) {
  std::string s = what;
  if (s.rfind("[json.exception.", 0) == 0) {
    const size_t end = s.find("] ");
    if (end != std::string::npos) s.erase(0, end + 2);
  }
  return s;
}

// Parses JSON straight onto the Lua stack (no JSON tree in between), with
// the same values and markers as push_json.
class LuaSax final : public json::json_sax_t {
 public:
  explicit LuaSax(lua_State* L) : L_(L) {}

  bool null() override { lua_pushlightuserdata(L_, nullptr); return added(); }
  bool boolean(bool v) override { lua_pushboolean(L_, v ? 1 : 0); return added(); }
  bool number_integer(json::number_integer_t v) override { lua_pushinteger(L_, static_cast<lua_Integer>(v)); return added(); }
  bool number_unsigned(json::number_unsigned_t v) override {
    if (v <= static_cast<json::number_unsigned_t>(std::numeric_limits<lua_Integer>::max()))
      lua_pushinteger(L_, static_cast<lua_Integer>(v));
    else
      lua_pushnumber(L_, static_cast<lua_Number>(v));
    return added();
  }
  bool number_float(json::number_float_t v, const json::string_t&) override { lua_pushnumber(L_, v); return added(); }
  bool string(json::string_t& v) override { push_view(L_, v); return added(); }
  bool binary(json::binary_t&) override { return false; }  // not produced by JSON text
  bool start_object(size_t n) override { return open(n, false); }
  bool key(json::string_t& k) override { push_view(L_, k); return true; }
  bool end_object() override { return close(&kObjectMarker); }
  bool start_array(size_t n) override { return open(n, true); }
  bool end_array() override { return close(&kArrayMarker); }
  bool parse_error(size_t, const std::string&, const nlohmann::detail::exception& e) override {
    throw std::runtime_error(without_tag(e.what()));
  }

 private:
  struct Open {
    bool array;
    lua_Integer count;
  };
  bool open(size_t n, bool array) {
    if (open_.size() >= static_cast<size_t>(kMaxDepth))
      throw std::runtime_error("the JSON is nested more than " + std::to_string(kMaxDepth) + " levels deep");
    luaL_checkstack(L_, 4, "the JSON is nested too deeply");
    const int hint = n == static_cast<size_t>(-1) ? 0 : table_size_hint(n);
    lua_createtable(L_, array ? hint : 0, array ? 0 : hint);
    open_.push_back({array, 0});
    return true;
  }
  bool close(const char* marker) {
    set_marker(L_, marker);
    open_.pop_back();
    return added();
  }
  // A value is on top: put it into the table being filled (if any).
  bool added() {
    if (open_.empty()) return true;
    Open& o = open_.back();
    if (o.array)
      lua_rawseti(L_, -2, ++o.count);
    else
      lua_rawset(L_, -3);  // the key is below the value
    return true;
  }

  lua_State* L_;
  std::vector<Open> open_;
};

void mark_table(lua_State* L, const char* marker) {
  if (lua_isnoneornil(L, 1)) lua_newtable(L);
  else luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 1);
  set_marker(L, marker);
}

int l_array(lua_State* L) {
  mark_table(L, &kArrayMarker);
  return 1;
}

int l_object(lua_State* L) {
  mark_table(L, &kObjectMarker);
  return 1;
}

int l_encode(lua_State* L) {
  return protect(L, [&] {
    luaL_checkany(L, 1);
    const int indent = static_cast<int>(luaL_optinteger(L, 2, -1));
    push_view(L, dump_json(to_json(L, 1), indent < 0 ? -1 : std::min(indent, 16)));
    return 1;
  });
}

int l_decode(lua_State* L) {
  return protect(L, [&] {
    push_parsed_json(L, check_view(L, 1));
    return 1;
  });
}

void new_marker(lua_State* L, const char* marker, const char* name) {
  lua_createtable(L, 0, 2);
  lua_pushstring(L, name);
  lua_setfield(L, -2, "__name");
  lua_pushstring(L, name);  // getmetatable(t) answers the kind; setmetatable(t) is refused
  lua_setfield(L, -2, "__metatable");
  lua_rawsetp(L, LUA_REGISTRYINDEX, marker);
}

}  // namespace

void push_json(lua_State* L, const json& j) { push_value(L, j, 0); }

json to_json(lua_State* L, int index) {
  Where where;
  return value_of(L, index, where, 0);
}

void push_parsed_json(lua_State* L, std::string_view text) {
  const int top = lua_gettop(L);
  LuaSax sax(L);
  try {
    json::sax_parse(text, &sax);
  } catch (const json::exception& e) {
    lua_settop(L, top);
    throw std::runtime_error(without_tag(e.what()));
  } catch (const std::runtime_error&) {
    lua_settop(L, top);
    throw;
  }
}

std::string dump_json(const json& j, int indent) {
  try {
    return j.dump(indent);
  } catch (const json::exception& e) {
    throw std::runtime_error("cannot write as JSON: " + without_tag(e.what()));
  }
}

void open_json(lua_State* L) {
  new_marker(L, &kArrayMarker, "json.array");
  new_marker(L, &kObjectMarker, "json.object");
  static const luaL_Reg functions[] = {
      {"array", l_array}, {"object", l_object}, {"encode", l_encode}, {"decode", l_decode}, {nullptr, nullptr}};
  luaL_newlib(L, functions);
  lua_pushlightuserdata(L, nullptr);
  lua_setfield(L, -2, "null");
  lua_setglobal(L, "json");
}

}  // namespace ferry::lua
