// A loaded plugin and its components, as the host sees them after checking
// the descriptor: every struct copied into a zeroed host-side struct, never
// reading past the size the plugin declared.
#pragma once

#include <ferry/plugin.h>

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "config/schema.hpp"

namespace ferry::loader {

struct Plugin;

struct Component {
  const Plugin* plugin = nullptr;
  ferry_component_t desc{};  // zero-extended copy: newer fields read as NULL
  std::string type, version, description;
  uint32_t kind = 0;
  std::vector<config::KeySpec> keys;
};

struct Plugin {
  std::string name, version, description;
  std::filesystem::path file;
  uint32_t abi_major = 0, abi_minor = 0;
  ferry_plugin_t desc{};
  std::vector<std::unique_ptr<Component>> components;  // stable addresses
  bool initialized = false;
};

std::string_view kind_name(uint32_t kind);

// Open a plugin file and check its descriptor; does not call init(). The
// library stays loaded for the life of the process (see docs/abi.md).
// On failure returns nullptr and sets `error` to a text naming the file.
std::unique_ptr<Plugin> open_plugin(const std::filesystem::path& file, std::string& error);

// Every *.so in the given folders, in folder order then name order.
std::vector<std::filesystem::path> plugin_files(const std::vector<std::filesystem::path>& dirs);

}  // namespace ferry::loader
