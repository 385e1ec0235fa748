// lua.transform: runs a sandboxed Lua 5.4 script's transform(msg) on every
// message (docs/plugins/lua.md).
#pragma once

#include <ferry/plugin.hpp>

#include "options.hpp"
#include "script.hpp"

namespace ferry::lua {

class Transform : public ferry::Transformer {
 public:
  static constexpr const char* type = "lua.transform";
  static constexpr const char* version = "1.0.0";
  static constexpr const char* description =
      "Runs a sandboxed Lua 5.4 script's transform(msg) on each message: HL7 fields by path, JSON as tables, "
      "metadata, filter(reason), logging";
  // Not FERRY_COMPONENT_CONCURRENT: one Lua state per instance, and the host
  // serializes the calls (docs/plugins/lua.md, "Threads").
  static constexpr std::array config_keys = {
      ferry::Key::string("script").describe("The Lua script itself (set this or file)").min(1),
      ferry::Key::string("file").describe("Path of a Lua script file (set this or script)").min(1),
      ferry::Key::string_list("allow")
          .describe("Sandbox opt-ins: os, os.<function>, io, require, debug.traceback")
          .fallback("[]")
          .one_of(kAllowedOptIns),
      ferry::Key::string_list("module_dirs")
          .describe("Directories require() searches (with allow require); default: the script file's directory")
          .fallback("[]"),
      ferry::Key::json("params").describe("Any JSON value, given to the script as the global params").fallback("{}"),
      ferry::Key::integer("max_instructions")
          .describe("Lua VM instructions a message may use before it fails")
          .fallback("10000000")
          .range(1000, 1e12),
      ferry::Key::integer("timeout_ms")
          .describe("Wall time a message may use before it fails")
          .fallback("1000")
          .range(1, 600000),
      ferry::Key::integer("max_memory_mb")
          .describe("Memory of the script's Lua state (MiB)")
          .fallback("64")
          .range(1, 4096),
  };

  Transform(ferry::Instance self, const ferry::Config& c);
  void transform(ferry::Message& m) override;

 private:
  Script script_;
};

}  // namespace ferry::lua
