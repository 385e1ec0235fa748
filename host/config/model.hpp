// The validated configuration, as the runtime uses it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace ferry::config {

struct ComponentRef {
  std::string type;
  nlohmann::json config = nlohmann::json::object();
  std::string path;  // JSON pointer of this reference in the config file
};

struct SourceSpec : ComponentRef {
  std::optional<ComponentRef> schedule;
};

struct DestinationSpec {
  std::string id;
  ComponentRef component;
  std::vector<ComponentRef> transformers;
  std::string path;
};

struct ChannelSpec {
  std::string id;
  bool enabled = true;
  std::string description;
  SourceSpec source;
  std::vector<ComponentRef> transformers;
  std::vector<DestinationSpec> destinations;
  std::string path;
};

struct EngineSpec {
  std::filesystem::path data_dir;
  std::vector<std::filesystem::path> plugin_dirs;
  std::string log_level;
  int workers = 2;
  int64_t shutdown_timeout_ms = 30000;
  int64_t max_in_flight = 10000;
  int64_t retry_interval_ms = 1000;
};

struct Config {
  std::filesystem::path file;
  nlohmann::json document;  // references resolved, defaults filled
  EngineSpec engine;
  std::vector<std::string> plugins;
  std::vector<ChannelSpec> channels;
};

}  // namespace ferry::config
