// Checks that need the loaded plugins: every component type used in config
// exists, has the right kind, and its config passes the component's declared
// schema (defaults filled in place).
#pragma once

#include "config/diagnostics.hpp"
#include "config/model.hpp"
#include "loader/registry.hpp"

namespace ferry::runtime {

void bind_components(config::Config& config, const loader::Registry& registry, config::Diagnostics& diag);

}  // namespace ferry::runtime
