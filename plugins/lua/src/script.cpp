#include "script.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "api.hpp"
#include "lua_util.hpp"
#include "message_context.hpp"
#include "runtime.hpp"

namespace ferry::lua {
namespace {

// Runs inside lua_pcall: the msg object is made here, so that running out
// of memory while making it is an ordinary error.
int call_transform(lua_State* L) {
  Runtime& rt = runtime(L);
  lua_rawgeti(L, LUA_REGISTRYINDEX, rt.transform_ref);
  push_msg(L, rt.generation);
  lua_call(L, 1, 0);
  return 0;
}

}  // namespace

Script::Script(Options options, Logger log) : rt_(std::make_unique<Runtime>(std::move(options), std::move(log))) {
  if (auto error = rt_->build()) throw std::runtime_error(*error);
}

Script::~Script() = default;

size_t Script::memory_in_use() const { return rt_->alloc.used; }

Outcome Script::run(MessageAccess& message) {
  Runtime& rt = *rt_;
  if (rt.L == nullptr) {  // the last rebuild failed: try again
    if (auto error = rt.build()) return {Outcome::Kind::error, "the script could not be restarted: " + *error};
  }
  lua_State* L = rt.L;
  MessageContext context(message);
  rt.message = &context;
  ++rt.generation;
  rt.filtered = false;
  rt.filter_reason.clear();
  rt.alloc.refused = 0;
  rt.budget.begin(L);

  lua_settop(L, 0);
  lua_pushcfunction(L, message_handler);
  lua_pushcfunction(L, call_transform);
  const int status = lua_pcall(L, 0, 0, 1);
  rt.budget.end();
  rt.message = nullptr;

  Outcome outcome;
  bool rebuild = false;
  if (rt.budget.stop != Budget::Stop::none || (status != LUA_OK && !rt.filtered)) {
    outcome = {Outcome::Kind::error, rt.failure_text(status)};
    // A limit may leave the state half-way (globals, a full heap): start afresh.
    rebuild = rt.budget.stop != Budget::Stop::none || (status != LUA_OK && rt.out_of_memory(status));
  } else if (rt.filtered) {
    outcome = {Outcome::Kind::filtered, rt.filter_reason};
  }
  lua_settop(L, 0);

  if (outcome.kind == Outcome::Kind::ok) {
    try {
      context.commit();
    } catch (const std::exception& e) {
      outcome = {Outcome::Kind::error, std::string("cannot change the message: ") + e.what()};
    }
  }
  if (rebuild) {
    ++rebuilds_;
    const auto error = rt.build();  // on failure, the next message tries again
    if (rt.log && error)
      rt.log(LogLevel::error, "the script could not be restarted after a limit stopped it: " + *error);
    else if (rt.log)
      rt.log(LogLevel::warn, "the script's state was rebuilt after a limit stopped it: " + outcome.text);
  }
  return outcome;
}

void read_script_file(Options& options, const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw std::runtime_error("file: " + path + " is a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("file: cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw std::runtime_error("file: cannot read " + path);
  options.source = text.str();
  options.chunk_name = path;
  options.from_file = true;
}

}  // namespace ferry::lua
