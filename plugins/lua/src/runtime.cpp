#include "runtime.hpp"

#include <string>

#include "api.hpp"
#include "json_lua.hpp"
#include "lua_util.hpp"

namespace ferry::lua {
namespace {

// "x.lua:12: ..." already names a place (as every Lua runtime error does).
bool has_position(std::string_view text) {
  for (size_t i = text.find(':'); i != std::string_view::npos && i < 120; i = text.find(':', i + 1)) {
    size_t j = i + 1;
    while (j < text.size() && text[j] >= '0' && text[j] <= '9') ++j;
    if (j > i + 1 && j < text.size() && text[j] == ':') return true;
  }
  return false;
}

// "script:12: " for the innermost Lua function on the stack, or "".
std::string innermost_position(lua_State* L) {
  lua_Debug ar;
  for (int level = 1; lua_getstack(L, level, &ar) != 0; ++level) {
    lua_getinfo(L, "Sl", &ar);
    if (ar.currentline > 0) return std::string(ar.short_src) + ":" + std::to_string(ar.currentline) + ": ";
  }
  return {};
}

}  // namespace

int message_handler(lua_State* L) {
  if (is_filter_signal(L, 1)) return 1;
  if (lua_type(L, 1) == LUA_TSTRING && has_position(to_view(L, 1))) return 1;
  std::string text = innermost_position(L);
  if (lua_type(L, 1) == LUA_TSTRING)
    text += to_view(L, 1);
  else
    text += std::string("error object is a ") + luaL_typename(L, 1) + " value";
  push_view(L, text);
  return 1;
}

namespace {

int dump_writer(lua_State*, const void* p, size_t size, void* ud) {
  static_cast<std::string*>(ud)->append(static_cast<const char*>(p), size);
  return 0;
}

// Everything a new state needs, run inside lua_pcall so that any error
// (including running out of memory) is reported, never fatal.
int setup(lua_State* L) {
  Runtime& rt = runtime(L);
  const Options& o = rt.options;
  open_sandbox(L, o);
  open_json(L);
  open_log(L);
  open_msg(L);
  push_json(L, o.params);
  lua_setglobal(L, "params");

  const std::string chunk_name = (o.from_file ? "@" : "=") + o.chunk_name;
  const bool first = rt.bytecode.empty();
  const std::string& text = first ? o.source : rt.bytecode;
  if (luaL_loadbufferx(L, text.data(), text.size(), chunk_name.c_str(), first ? "t" : "b") != LUA_OK)
    return lua_error(L);  // "script:3: '=' expected near 'x'"
  if (first) lua_dump(L, dump_writer, &rt.bytecode, 0);
  lua_call(L, 0, 0);

  if (lua_getglobal(L, "transform") != LUA_TFUNCTION)
    return luaL_error(L, "%s: the script must define a function transform(msg) (transform is %s)",
                      o.chunk_name.c_str(), luaL_typename(L, -1));
  rt.transform_ref = luaL_ref(L, LUA_REGISTRYINDEX);
  return 0;
}

}  // namespace

Runtime::Runtime(Options o, Logger l) : options(std::move(o)), log(std::move(l)) {
  alloc.limit = static_cast<size_t>(options.max_memory_mb) * 1024 * 1024;
  budget.max_instructions = options.max_instructions;
  budget.timeout_ms = options.timeout_ms;
}

Runtime::~Runtime() { close(); }

void Runtime::close() {
  if (L != nullptr) lua_close(L);
  L = nullptr;
  transform_ref = LUA_NOREF;
}

std::optional<std::string> Runtime::build() {
  close();
  alloc.refused = 0;
  L = lua_newstate(&Allocator::allocate, &alloc);
  if (L == nullptr) return "cannot create a Lua state within max_memory_mb";
  *static_cast<Runtime**>(lua_getextraspace(L)) = this;
  budget.begin(L);
  lua_pushcfunction(L, message_handler);
  lua_pushcfunction(L, setup);
  const int status = lua_pcall(L, 0, 0, 1);
  budget.end();
  if (status == LUA_OK) {
    lua_settop(L, 0);
    return std::nullopt;
  }
  std::string text = failure_text(status);
  close();
  return text;
}

std::string Runtime::failure_text(int status) const {
  if (budget.stop != Budget::Stop::none) return budget.message;
  if (out_of_memory(status))
    return "stopped: the script needs more than " + std::to_string(options.max_memory_mb) +
           " MB of memory (max_memory_mb)";
  const std::string text = lua_type(L, -1) == LUA_TSTRING ? std::string(to_view(L, -1)) : "unknown error";
  if (status != LUA_ERRRUN && status != LUA_ERRSYNTAX && status != LUA_ERRERR)
    return "internal error in the Lua transformer (status " + std::to_string(status) + ")";
  return text;
}

// A memory error, also one the script caught and raised again.
bool Runtime::out_of_memory(int status) const {
  if (status == LUA_ERRMEM) return true;
  if (alloc.refused == 0) return false;
  if (status == LUA_ERRERR) return true;  // the message handler itself ran out
  return lua_type(L, -1) == LUA_TSTRING && to_view(L, -1).find("not enough memory") != std::string_view::npos;
}

Runtime& runtime(lua_State* L) { return **static_cast<Runtime**>(lua_getextraspace(L)); }

MessageContext& current_message(lua_State* L, uint64_t generation) {
  Runtime& rt = runtime(L);
  if (rt.message == nullptr || generation != rt.generation)
    luaL_error(L, "this msg belongs to an earlier message: msg is usable only during the transform(msg) call that received it");
  return *rt.message;
}

void raise_error(lua_State* L, std::string_view text) {
  luaL_where(L, 1);
  push_view(L, text);
  lua_concat(L, 2);
  lua_error(L);
  __builtin_unreachable();
}

}  // namespace ferry::lua
