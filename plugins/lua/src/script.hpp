// A compiled Lua script and the state it runs in: the engine of
// lua.transform, free of the plugin ABI.
//
// The script is compiled and its top level run once, at construction; each
// message then calls its transform(msg) in the same state. A message that
// hits a limit (instructions, time, memory) fails, and the state is
// rebuilt from the compiled chunk for the next message. Not thread-safe:
// one caller at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "message_access.hpp"
#include "options.hpp"

namespace ferry::lua {

struct Runtime;

class Script {
 public:
  // Throws std::runtime_error naming the chunk and line (syntax errors,
  // errors of the top level, no transform function).
  Script(Options options, Logger log);
  ~Script();
  Script(const Script&) = delete;
  Script& operator=(const Script&) = delete;

  Outcome run(MessageAccess& message);

  size_t memory_in_use() const;  // bytes of the Lua state
  uint64_t rebuilds() const { return rebuilds_; }

 private:
  std::unique_ptr<Runtime> rt_;
  uint64_t rebuilds_ = 0;
};

// Fill options.source and chunk_name from a file; throws std::runtime_error.
void read_script_file(Options& options, const std::string& path);

}  // namespace ferry::lua
