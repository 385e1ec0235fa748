// What `run` and `check` share: load the config, load exactly the enabled
// plugins, check every component config. All errors are collected.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "config/diagnostics.hpp"
#include "config/model.hpp"
#include "loader/registry.hpp"

namespace ferry::cli {

// Plugin folders used when the config sets no engine.plugin_dirs: the
// build/installed layouts next to the ferry binary.
std::vector<std::filesystem::path> default_plugin_dirs();

// Returns the config when it is valid and every plugin loaded; otherwise
// prints every error (prefixed with the file name) to stderr.
std::optional<config::Config> prepare(const std::filesystem::path& file, loader::Registry& registry);

// Plugins that initialised get their shutdown() on every way out of a command.
struct ShutdownOnExit {
  loader::Registry& registry;
  ~ShutdownOnExit() { registry.shutdown(); }
};

void print_errors(const std::filesystem::path& file, const config::Diagnostics& diag);

}  // namespace ferry::cli
