#include "loader/registry.hpp"

#include <set>

#include "runtime/objects.hpp"

namespace ferry::loader {

void Registry::load(const std::vector<std::string>& names,
                    const std::vector<std::filesystem::path>& dirs, const ferry_host_api_t* host,
                    config::Diagnostics& diag) {
  for (size_t i = 0; i < names.size(); ++i) {
    const std::string& name = names[i];
    const std::string path = config::child_path("/plugins", i);
    std::filesystem::path file;
    for (const auto& dir : dirs) {
      std::error_code ec;
      if (std::filesystem::is_regular_file(dir / (name + ".so"), ec)) {
        file = dir / (name + ".so");
        break;
      }
    }
    if (file.empty()) {
      std::string available;
      std::string searched;
      for (const auto& dir : dirs) searched += (searched.empty() ? "" : ", ") + dir.string();
      for (const auto& f : plugin_files(dirs))
        available += (available.empty() ? "" : ", ") + f.stem().string();
      diag.add(path, "plugin '" + name + "' not found: no " + name + ".so in " +
                         (searched.empty() ? "(no plugin_dirs)" : searched) +
                         " (available: " + (available.empty() ? "none" : available) + ")");
      continue;
    }
    std::string error;
    auto plugin = open_plugin(file, error);
    if (!plugin) {
      diag.add(path, error);
      continue;
    }
    bool clash = false;
    for (const auto& c : plugin->components) {
      if (auto it = by_type_.find(c->type); it != by_type_.end()) {
        diag.add(path, file.string() + ": duplicate component type '" + c->type + "', also provided by " +
                           it->second->plugin->file.string());
        clash = true;
      }
    }
    if (clash) continue;
    if (plugin->desc.init != nullptr) {
      ferry_error err;
      if (plugin->desc.init(host, &err) != FERRY_OK) {
        diag.add(path, file.string() + ": plugin init failed: " +
                           (err.text.empty() ? "(no error text)" : err.text));
        continue;
      }
    }
    plugin->initialized = true;
    for (const auto& c : plugin->components) by_type_.emplace(c->type, c.get());
    plugins_.push_back(std::move(plugin));
  }
}

const Component* Registry::find(std::string_view type) const {
  auto it = by_type_.find(type);
  return it == by_type_.end() ? nullptr : it->second;
}

std::vector<std::string> Registry::types() const {
  std::vector<std::string> out;
  for (const auto& [type, unused] : by_type_) out.push_back(type);
  return out;
}

void Registry::shutdown() {
  for (auto& p : plugins_) {
    if (p->initialized && p->desc.shutdown != nullptr) p->desc.shutdown();
    p->initialized = false;
  }
}

}  // namespace ferry::loader
