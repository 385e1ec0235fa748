// Struct sizes of ABI 1.0 on this platform: the smallest a plugin may
// declare. These numbers are frozen; a later minor grows the structs, so the
// current sizeof may only be larger.
#pragma once

#include <ferry/plugin.h>

#include <cstdint>

namespace ferry::loader {

inline constexpr uint32_t kPluginSizeV1_0 = 64;
inline constexpr uint32_t kComponentSizeV1_0 = 112;
inline constexpr uint32_t kConfigKeySizeV1_0 = 64;

static_assert(sizeof(ferry_plugin_t) >= kPluginSizeV1_0);
static_assert(sizeof(ferry_component_t) >= kComponentSizeV1_0);
static_assert(sizeof(ferry_config_key_t) >= kConfigKeySizeV1_0);

}  // namespace ferry::loader
