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

struct RetrySpec {
  int64_t max_attempts = 0;  // 0: retry forever
  bool exponential = true;
  int64_t initial_ms = 1000;
  int64_t max_ms = 300000;
  double jitter = 0.2;  // +/- fraction of each wait
};

struct DestinationSpec {
  std::string id;
  ComponentRef component;
  std::vector<ComponentRef> transformers;
  RetrySpec retry;
  bool rotate = false;  // queue.order "rotate": a retrying message lets the next ones pass
  std::string path;
};

enum class StorageLevel { all, raw, metadata };
enum class RespondWhen { stored, transformed, delivered };

struct ResponseSpec {
  RespondWhen when = RespondWhen::stored;
  std::string from = "auto";  // or a destination id
  int64_t timeout_ms = 30000;  // when=delivered: longest wait before "stored, delivery pending"
};

struct RetentionSpec {
  int64_t max_age_ms = 0;     // 0: no age limit
  int64_t max_messages = 0;   // 0: no count limit
};

struct ChannelSpec {
  std::string id;
  bool enabled = true;
  std::string description;
  SourceSpec source;
  std::vector<ComponentRef> transformers;
  std::vector<DestinationSpec> destinations;
  StorageLevel storage = StorageLevel::all;
  ResponseSpec response;
  RetentionSpec retention;
  std::string path;
};

struct EngineSpec {
  std::filesystem::path data_dir;
  std::vector<std::filesystem::path> plugin_dirs;
  std::string log_level;
  int workers = 2;
  int64_t shutdown_timeout_ms = 30000;
  int64_t max_in_flight = 10000;
  bool durability_disk = true;  // "disk" (flush before acknowledging) or "process"
  int64_t queue_window = 1000;  // queued messages a destination holds in memory
  int64_t retention_interval_ms = 60000;
  int64_t command_poll_ms = 500;
  bool cpu_scheduling_batch = true;  // SCHED_BATCH for the engine's threads
};

struct Config {
  std::filesystem::path file;
  nlohmann::json document;  // references resolved, defaults filled
  EngineSpec engine;
  std::vector<std::string> plugins;
  std::vector<ChannelSpec> channels;
};

}  // namespace ferry::config
