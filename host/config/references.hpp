// ${env:NAME} and ${file:PATH} references in config strings, so that secrets
// never sit in the config file. "$${" is a literal "${"; any other "${...}"
// (a component's own template, e.g. ${message_id}) is left as written.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>

#include "config/diagnostics.hpp"

namespace ferry::config {

// Replace references in every string of `value` (recursively). Relative
// ${file:..} paths are resolved against base_dir (the config file's folder).
// Records each replaced string in diag.references.
void resolve_references(nlohmann::json& value, const std::string& path,
                        const std::filesystem::path& base_dir, Diagnostics& diag);

}  // namespace ferry::config
