#include "config/host_schema.hpp"

namespace ferry::config {
namespace {

KeySpec key(std::string name, ValueType type, std::string description) {
  KeySpec k;
  k.name = std::move(name);
  k.type = type;
  k.description = std::move(description);
  return k;
}
KeySpec required(KeySpec k) {
  k.required = true;
  return k;
}
KeySpec fallback(KeySpec k, nlohmann::json v) {
  k.fallback = std::move(v);
  return k;
}
KeySpec range(KeySpec k, double lo, double hi) {
  k.min = lo;
  k.max = hi;
  return k;
}
KeySpec children(KeySpec k, std::vector<KeySpec> c) {
  k.children = std::move(c);
  return k;
}

std::vector<KeySpec> component_keys() {
  return {
      required(range(key("type", ValueType::String, "Component type, <plugin>.<component>"), 1, 200)),
      fallback(key("config", ValueType::Json, "The component's own config (see `ferry plugins`)"),
               nlohmann::json::object()),
  };
}

std::vector<KeySpec> build() {
  const auto id_key = [](std::string what) {
    return required(range(key("id", ValueType::String, std::move(what)), 1, 64));
  };
  auto source = component_keys();
  source.push_back(children(key("schedule", ValueType::Object,
                                "Scheduler that drives the source's poll"),
                            component_keys()));
  const auto transformers = fallback(
      children(key("transformers", ValueType::ObjectList, "Transformers and filters, in order"),
               component_keys()),
      nlohmann::json::array());

  auto backoff = fallback(key("backoff", ValueType::String, "How the wait grows between attempts"), "exponential");
  backoff.allowed = {"exponential", "fixed"};
  const std::vector<KeySpec> retry = {
      fallback(range(key("max_attempts", ValueType::Integer, "Attempts before the message is ERROR (0: forever)"),
                     0, 1e9),
               0),
      backoff,
      fallback(range(key("initial_ms", ValueType::Integer, "First wait"), 1, 86400000), 1000),
      fallback(range(key("max_ms", ValueType::Integer, "Longest wait (exponential)"), 1, 86400000), 300000),
      fallback(range(key("jitter", ValueType::Number, "Random +/- fraction of each wait"), 0, 1), 0.2),
  };

  auto destination = component_keys();
  destination.insert(destination.begin(), id_key("Destination id, unique in its channel"));
  destination.push_back(transformers);
  destination.push_back(fallback(children(key("retry", ValueType::Object, "Retry policy"), retry),
                                 nlohmann::json::object()));
  auto order = fallback(key("order", ValueType::String,
                            "\"fifo\": strictly in order, a retrying message holds the queue; \"rotate\": it "
                            "goes to the back and later messages pass"),
                        "fifo");
  order.allowed = {"fifo", "rotate"};
  destination.push_back(
      fallback(children(key("queue", ValueType::Object, "Queue behaviour"), {order}), nlohmann::json::object()));

  auto storage = fallback(key("storage", ValueType::String, "What the store keeps of a finished message"), "all");
  storage.allowed = {"all", "raw", "metadata"};
  auto when = fallback(key("when", ValueType::String, "When the source is answered"), "stored");
  when.allowed = {"stored", "transformed", "delivered"};
  const std::vector<KeySpec> response = {
      when,
      fallback(range(key("from", ValueType::String,
                         "\"auto\" (the source builds its own acknowledgement) or a destination id"),
                     1, 64),
               "auto"),
      fallback(range(key("timeout_ms", ValueType::Integer,
                         "when=delivered: longest wait for destinations still retrying; then the source is "
                         "answered OK (the message is stored and delivery goes on)"),
                     1, 3600000),
               30000),
  };
  const std::vector<KeySpec> retention = {
      fallback(range(key("max_age_hours", ValueType::Number, "Delete finished messages older than this (0: keep)"),
                     0, 1e6),
               0),
      fallback(range(key("max_messages", ValueType::Integer, "Keep at most this many messages (0: no limit)"), 0,
                     1e12),
               0),
  };

  const std::vector<KeySpec> channel = {
      id_key("Channel id, unique in the config"),
      fallback(key("enabled", ValueType::Boolean, "Run this channel"), true),
      fallback(key("description", ValueType::String, "Free text"), ""),
      required(children(key("source", ValueType::Object, "Where messages come from"), source)),
      transformers,
      required(range(children(key("destinations", ValueType::ObjectList,
                                  "Where messages go; each has its own queue"),
                              destination),
                     1, 1000)),
      storage,
      fallback(children(key("response", ValueType::Object, "When and with what the source is answered"), response),
               nlohmann::json::object()),
      fallback(children(key("retention", ValueType::Object, "Pruning of finished messages"), retention),
               nlohmann::json::object()),
  };

  auto log_level = fallback(key("log_level", ValueType::String, "Minimum log level"), "info");
  log_level.allowed = {"trace", "debug", "info", "warn", "error"};

  auto durability = fallback(key("durability", ValueType::String,
                                 "\"disk\": flushed before a source is answered; \"process\": survives an engine crash only"),
                             "disk");
  durability.allowed = {"disk", "process"};

  auto cpu_scheduling = fallback(key("cpu_scheduling", ValueType::String,
                                     "Linux scheduling policy of the engine's threads: \"batch\" (no wake-up "
                                     "preemption between them) or \"normal\""),
                                 "batch");
  cpu_scheduling.allowed = {"batch", "normal"};

  const std::vector<KeySpec> engine = {
      fallback(key("data_dir", ValueType::String, "Folder for the engine's data"), "var/"),
      key("plugin_dirs", ValueType::StringList,
          "Folders searched for <plugin>.so (default: the plugins folder next to the binary)"),
      log_level,
      fallback(range(key("workers", ValueType::Integer, "Worker threads"), 1, 64), 2),
      fallback(range(key("shutdown_timeout_ms", ValueType::Integer,
                         "How long a graceful stop waits for sends in progress (queued messages stay stored)"),
                     0, 3600000),
               30000),
      fallback(range(key("max_in_flight", ValueType::Integer,
                         "Messages one source may have in flight before emit() answers retry"),
                     1, 1000000),
               10000),
      durability,
      fallback(range(key("queue_window", ValueType::Integer,
                         "Queued messages per destination held in memory (the rest stay on disk)"),
                     1, 1000000),
               1000),
      fallback(range(key("retention_interval_ms", ValueType::Integer, "How often retention runs"), 1000,
                     86400000),
               60000),
      fallback(range(key("command_poll_ms", ValueType::Integer,
                         "How often the engine picks up `ferry messages` commands"),
                     10, 60000),
               500),
      cpu_scheduling,
  };

  return {
      fallback(children(key("engine", ValueType::Object, "Engine settings"), engine),
               nlohmann::json::object()),
      required(key("plugins", ValueType::StringList, "Names of the plugins to load")),
      fallback(children(key("channels", ValueType::ObjectList, "Channels"), channel),
               nlohmann::json::array()),
  };
}

}  // namespace

const std::vector<KeySpec>& host_schema() {
  static const std::vector<KeySpec> schema = build();
  return schema;
}

}  // namespace ferry::config
