// What a lua.transform instance runs and under which limits: the plugin
// fills this from its config, tests and the benchmark fill it directly.
#pragma once

#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace ferry::lua {

enum class LogLevel { debug, info, warn, error };
using Logger = std::function<void(LogLevel, std::string_view)>;

struct Options {
  std::string source;      // the Lua text
  std::string chunk_name;  // "script", or the file's path: names errors
  bool from_file = false;

  // Opt-ins beyond the sandbox: "os", "os.time", ..., "io", "require",
  // "debug.traceback" (sandbox.cpp lists them).
  std::set<std::string> allow;
  std::vector<std::string> module_dirs;  // where require() looks
  nlohmann::json params = nlohmann::json::object();  // the global `params`

  int64_t max_instructions = 10'000'000;  // per message (and for the top chunk)
  int64_t timeout_ms = 1000;              // wall time per message
  int64_t max_memory_mb = 64;             // per Lua state
};

// The sandbox opt-ins an admin may name in `allow`, NULL-terminated (the
// plugin declares them as the key's allowed values).
extern const char* const kAllowedOptIns[];

// How a message came out of the script.
struct Outcome {
  enum class Kind { ok, filtered, error };
  Kind kind = Kind::ok;
  std::string text;  // filter reason or error text
};

}  // namespace ferry::lua
