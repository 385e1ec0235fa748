// Reading a config file: JSON parse, references, host schema, and the checks
// that need the whole document (unique ids). Component configs are checked
// later against the loaded plugins (see runtime/binding.hpp).
#pragma once

#include <filesystem>
#include <optional>
#include <vector>

#include "config/diagnostics.hpp"
#include "config/model.hpp"

namespace ferry::config {

// Returns the model when the file could be parsed as JSON; diag collects every
// error found (the model is only safe to run when diag.ok()).
std::optional<Config> load_config(const std::filesystem::path& file,
                                  const std::vector<std::filesystem::path>& default_plugin_dirs,
                                  Diagnostics& diag);

}  // namespace ferry::config
