// Structured logging: one logfmt line per event on stderr.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ferry::log {

enum class Level { trace = 0, debug = 1, info = 2, warn = 3, error = 4 };

void set_level(Level level);
bool enabled(Level level);
std::optional<Level> parse_level(std::string_view name);
std::string_view level_name(Level level);

// Thread-safe; lines from different threads never interleave.
void write(Level level, std::string_view component, std::string_view channel,
           std::string_view message);

inline void info(std::string_view m) { write(Level::info, "host", "", m); }
inline void warn(std::string_view m) { write(Level::warn, "host", "", m); }
inline void error(std::string_view m) { write(Level::error, "host", "", m); }
inline void debug(std::string_view m) { write(Level::debug, "host", "", m); }

}  // namespace ferry::log
