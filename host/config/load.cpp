#include "config/load.hpp"

#include <cctype>
#include <fstream>
#include <type_traits>
#include <set>
#include <sstream>

#include "config/host_schema.hpp"
#include "config/references.hpp"
#include "config/schema.hpp"

namespace ferry::config {
namespace {

using nlohmann::json;

// Typed read that tolerates a wrong type (already reported by the schema).
template <class T>
T value_at(const json& obj, const char* key, T fallback) {
  auto it = obj.find(key);
  if (it == obj.end()) return fallback;
  if constexpr (std::is_same_v<T, bool>) return it->is_boolean() ? it->get<bool>() : fallback;
  else if constexpr (std::is_integral_v<T>) return it->is_number_integer() ? it->get<T>() : fallback;
  else return it->is_string() ? it->get<std::string>() : fallback;
}

std::string string_at(const json& obj, const char* key) {
  auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : std::string();
}

ComponentRef component_at(const json& obj, const std::string& path) {
  ComponentRef ref;
  ref.path = path;
  ref.type = string_at(obj, "type");
  if (auto it = obj.find("config"); it != obj.end()) ref.config = *it;
  return ref;
}

std::vector<ComponentRef> transformers_at(const json& obj, const std::string& path) {
  std::vector<ComponentRef> out;
  auto it = obj.find("transformers");
  if (it == obj.end() || !it->is_array()) return out;
  for (size_t i = 0; i < it->size(); ++i)
    if ((*it)[i].is_object())
      out.push_back(component_at((*it)[i], child_path(child_path(path, "transformers"), i)));
  return out;
}

bool valid_id(const std::string& id) {
  if (id.empty()) return false;
  for (char c : id)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.'))
      return false;
  return true;
}

void check_id(const std::string& id, const std::string& path, std::set<std::string>& seen,
              const char* what, Diagnostics& diag) {
  if (id.empty()) return;  // the schema already reported it
  if (!valid_id(id))
    diag.add(path, std::string(what) + " id \"" + id + "\" may only use letters, digits, '_', '-' and '.'");
  else if (!seen.insert(id).second)
    diag.add(path, "duplicate " + std::string(what) + " id \"" + id + "\"");
}

RetrySpec retry_at(const json& d) {
  RetrySpec r;
  auto it = d.find("retry");
  if (it == d.end() || !it->is_object()) return r;
  r.max_attempts = value_at(*it, "max_attempts", r.max_attempts);
  r.exponential = value_at(*it, "backoff", std::string("exponential")) == "exponential";
  r.initial_ms = value_at(*it, "initial_ms", r.initial_ms);
  r.max_ms = value_at(*it, "max_ms", r.max_ms);
  if (auto j = it->find("jitter"); j != it->end() && j->is_number()) r.jitter = j->get<double>();
  return r;
}

void policies_at(const json& c, const std::string& path, ChannelSpec& ch, Diagnostics& diag) {
  const std::string storage = value_at(c, "storage", std::string("all"));
  ch.storage = storage == "raw" ? StorageLevel::raw : storage == "metadata" ? StorageLevel::metadata : StorageLevel::all;
  if (auto r = c.find("response"); r != c.end() && r->is_object()) {
    const std::string when = value_at(*r, "when", std::string("stored"));
    ch.response.when = when == "transformed" ? RespondWhen::transformed
                       : when == "delivered" ? RespondWhen::delivered
                                             : RespondWhen::stored;
    ch.response.from = value_at(*r, "from", std::string("auto"));
    ch.response.timeout_ms = value_at(*r, "timeout_ms", ch.response.timeout_ms);
    if (ch.response.from != "auto") {
      bool known = false;
      for (const auto& d : ch.destinations) known = known || d.id == ch.response.from;
      const std::string rpath = child_path(path, "response");
      if (!known)
        diag.add(child_path(rpath, "from"), "\"" + ch.response.from +
                                               "\" is neither \"auto\" nor a destination id of this channel");
      else if (ch.response.when != RespondWhen::delivered)
        diag.add(child_path(rpath, "when"),
                 "answering with a destination's response needs \"when\": \"delivered\"");
    }
  }
  if (auto r = c.find("retention"); r != c.end() && r->is_object()) {
    if (auto a = r->find("max_age_hours"); a != r->end() && a->is_number())
      ch.retention.max_age_ms = static_cast<int64_t>(a->get<double>() * 3600.0 * 1000.0);
    ch.retention.max_messages = value_at(*r, "max_messages", int64_t{0});
  }
}

ChannelSpec channel_at(const json& c, const std::string& path, Diagnostics& diag) {
  ChannelSpec ch;
  ch.path = path;
  ch.id = string_at(c, "id");
  ch.enabled = value_at(c, "enabled", true);
  ch.description = string_at(c, "description");
  if (auto src = c.find("source"); src != c.end() && src->is_object()) {
    const std::string src_path = child_path(path, "source");
    static_cast<ComponentRef&>(ch.source) = component_at(*src, src_path);
    if (auto sch = src->find("schedule"); sch != src->end() && sch->is_object())
      ch.source.schedule = component_at(*sch, child_path(src_path, "schedule"));
  }
  ch.transformers = transformers_at(c, path);
  std::set<std::string> dest_ids;
  if (auto ds = c.find("destinations"); ds != c.end() && ds->is_array()) {
    for (size_t i = 0; i < ds->size(); ++i) {
      if (!(*ds)[i].is_object()) continue;
      const std::string dpath = child_path(child_path(path, "destinations"), i);
      DestinationSpec d;
      d.path = dpath;
      d.id = string_at((*ds)[i], "id");
      d.component = component_at((*ds)[i], dpath);
      d.transformers = transformers_at((*ds)[i], dpath);
      d.retry = retry_at((*ds)[i]);
      if (auto q = (*ds)[i].find("queue"); q != (*ds)[i].end() && q->is_object())
        d.rotate = value_at(*q, "order", std::string("fifo")) == "rotate";
      check_id(d.id, child_path(dpath, "id"), dest_ids, "destination", diag);
      ch.destinations.push_back(std::move(d));
    }
  }
  policies_at(c, path, ch, diag);
  return ch;
}

// nlohmann reports a byte offset; people want line and column.
std::string position_of(const std::string& text, size_t byte) {
  size_t line = 1, col = 1;
  for (size_t i = 0; i < byte && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(col);
}

}  // namespace

std::optional<Config> load_config(const std::filesystem::path& file,
                                  const std::vector<std::filesystem::path>& default_plugin_dirs,
                                  Diagnostics& diag) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    diag.add("", "cannot read config file " + file.string());
    return std::nullopt;
  }
  std::ostringstream buf;
  buf << in.rdbuf();
  const std::string text = buf.str();

  Config cfg;
  cfg.file = file;
  try {
    cfg.document = json::parse(text);
  } catch (const json::parse_error& e) {
    std::string what = e.what();
    if (auto p = what.find("syntax error"); p != std::string::npos) what = what.substr(p);
    diag.add("", "invalid JSON at " + position_of(text, e.byte == 0 ? 0 : e.byte - 1) + ": " + what);
    return std::nullopt;
  }

  json& doc = cfg.document;
  if (!doc.is_object()) {
    diag.add("", "the config must be a JSON object with keys engine, plugins, channels");
    return std::nullopt;
  }
  const auto base_dir = file.has_parent_path() ? file.parent_path() : std::filesystem::path(".");
  resolve_references(doc, "", base_dir, diag);
  validate_object(doc, host_schema(), "", diag);

  const json& engine = doc.contains("engine") && doc["engine"].is_object() ? doc["engine"] : json::object();
  cfg.engine.data_dir = value_at(engine, "data_dir", std::string("var/"));
  cfg.engine.log_level = value_at(engine, "log_level", std::string("info"));
  cfg.engine.workers = value_at(engine, "workers", 2);
  cfg.engine.shutdown_timeout_ms = value_at(engine, "shutdown_timeout_ms", int64_t{30000});
  cfg.engine.max_in_flight = value_at(engine, "max_in_flight", int64_t{10000});
  cfg.engine.durability_disk = value_at(engine, "durability", std::string("disk")) == "disk";
  cfg.engine.queue_window = value_at(engine, "queue_window", int64_t{1000});
  cfg.engine.retention_interval_ms = value_at(engine, "retention_interval_ms", int64_t{60000});
  cfg.engine.command_poll_ms = value_at(engine, "command_poll_ms", int64_t{500});
  cfg.engine.cpu_scheduling_batch = value_at(engine, "cpu_scheduling", std::string("batch")) == "batch";
  if (auto dirs = engine.find("plugin_dirs"); dirs != engine.end() && dirs->is_array()) {
    for (const auto& d : *dirs)
      if (d.is_string()) cfg.engine.plugin_dirs.emplace_back(d.get<std::string>());
  } else {
    cfg.engine.plugin_dirs = default_plugin_dirs;
  }

  std::set<std::string> seen_plugins;
  if (auto plugins = doc.find("plugins"); plugins != doc.end() && plugins->is_array()) {
    for (size_t i = 0; i < plugins->size(); ++i) {
      if (!(*plugins)[i].is_string()) continue;
      const std::string name = (*plugins)[i].get<std::string>();
      if (!seen_plugins.insert(name).second)
        diag.add(child_path("/plugins", i), "plugin \"" + name + "\" is listed twice");
      else
        cfg.plugins.push_back(name);
    }
  }

  std::set<std::string> channel_ids;
  if (auto channels = doc.find("channels"); channels != doc.end() && channels->is_array()) {
    for (size_t i = 0; i < channels->size(); ++i) {
      if (!(*channels)[i].is_object()) continue;
      const std::string path = child_path("/channels", i);
      ChannelSpec ch = channel_at((*channels)[i], path, diag);
      check_id(ch.id, child_path(path, "id"), channel_ids, "channel", diag);
      cfg.channels.push_back(std::move(ch));
    }
  }
  return cfg;
}

}  // namespace ferry::config
