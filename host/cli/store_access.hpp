// How CLI commands find and open the store: from a config's engine.data_dir
// (-c, default config/ferry.json) or an explicit --data-dir.
#pragma once

#include <boost/program_options.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "store/sqlite.hpp"

namespace ferry::cli {

// Adds -c/--config and --data-dir to a command's options.
void add_store_options(boost::program_options::options_description& opts);
// Opens the store those options point at (migrated to the current schema).
// Throws std::runtime_error with a text for the user.
std::unique_ptr<store::Database> open_store(const boost::program_options::variables_map& vm);

std::string format_time(int64_t unix_ms);
// Unix ms, "YYYY-MM-DD", "YYYY-MM-DDTHH:MM:SS[Z]" (UTC) or an age such as
// "30m", "2h", "7d" (that long ago).
std::optional<int64_t> parse_time(const std::string& text);

}  // namespace ferry::cli
