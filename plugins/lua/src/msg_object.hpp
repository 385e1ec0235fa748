// The `msg` object handed to transform(msg), and what its parts share.
#pragma once

#include <cstdint>
#include <string_view>

#include "lua_util.hpp"
#include "message_context.hpp"

namespace ferry::lua {

// The userdata behind `msg`. Its user values: 1 = msg.meta, 2 = msg.json.
struct MsgBox {
  uint64_t generation = 0;
  uint64_t json_version = 0;  // the content version msg.json was read at
};

inline constexpr const char* kMsgType = "ferry.msg";

MsgBox& check_msg(lua_State* L, int arg);
// The message of a `msg` argument, refusing one from an earlier call.
MessageContext& message_of(lua_State* L, int arg);

// Methods each file adds to the table at the top of the stack.
void add_hl7_methods(lua_State* L);      // msg_hl7.cpp
void add_segment_methods(lua_State* L);  // msg_segments.cpp

// msg.meta (meta_object.cpp).
void open_meta(lua_State* L);
void push_meta(lua_State* L, uint64_t generation);

// HL7 access by path, shared by msg and segment objects (msg_hl7.cpp).
int hl7_get(lua_State* L, MessageContext& m, std::string_view path);
// Sets the value at stack index `value` (nil clears).
int hl7_set(lua_State* L, MessageContext& m, std::string_view path, int value);
int hl7_clear(lua_State* L, MessageContext& m, std::string_view path);

}  // namespace ferry::lua
