// The host's own config keys (engine, plugins, channels).
#pragma once

#include <vector>

#include "config/schema.hpp"

namespace ferry::config {

const std::vector<KeySpec>& host_schema();

}  // namespace ferry::config
