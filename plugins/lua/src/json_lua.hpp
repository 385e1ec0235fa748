// JSON <-> Lua values, and the script's `json` table.
//
// Objects become tables with string keys, arrays tables 1..n; both carry a
// marker metatable so that empty ones and arrays keep their kind when they
// are written back. JSON null is json.null (a light userdata), so a null
// keeps its key or array slot. Integers that fit 64 bits become Lua
// integers, other numbers floats.
//
// Lua -> JSON: a table marked as array (or a non-empty sequence 1..n) is an
// array, any other table an object (integer keys become strings); NaN,
// infinities, functions, other userdata and cycles are errors naming the
// JSON pointer at fault.
#pragma once

#include <lua.h>

#include <nlohmann/json.hpp>
#include <string_view>

namespace ferry::lua {

// Push j as a Lua value (raises a Lua error if nested too deeply).
void push_json(lua_State* L, const nlohmann::json& j);

// The JSON value of the Lua value at index; throws std::runtime_error.
nlohmann::json to_json(lua_State* L, int index);

// Parse text straight onto the Lua stack (the same values as push_json);
// throws std::runtime_error with the parser's reason.
void push_parsed_json(lua_State* L, std::string_view text);
// Serialize; throws std::runtime_error for strings that are not UTF-8.
std::string dump_json(const nlohmann::json& j, int indent = -1);

}  // namespace ferry::lua
