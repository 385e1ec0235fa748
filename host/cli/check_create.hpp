// `ferry check`'s second stage: create (and destroy, never start) every
// component of the enabled channels, so what only a plugin can judge (a cron
// expression, a Lua script, HL7 rules, a URL template) fails the check, not
// the first `ferry run`.
#pragma once

#include <string>
#include <vector>

#include "config/model.hpp"
#include "loader/registry.hpp"

namespace ferry::cli {

// One line per component that refused its config, naming its JSON path.
std::vector<std::string> create_every_component(const config::Config& config, const loader::Registry& registry);

}  // namespace ferry::cli
