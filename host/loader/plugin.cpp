#include "loader/plugin.hpp"

#include <boost/dll/shared_library.hpp>
#include <dlfcn.h>

#include <algorithm>
#include <cstring>
#include <mutex>
#include <set>

#include <nlohmann/json.hpp>

#include "loader/abi_sizes.hpp"

namespace ferry::loader {
namespace {

// Plugins are never unloaded: a timer, thread or static destructor of a
// plugin may still point into its code, and several mature hosts (Redis,
// Apache) learned that dlclose() is rarely worth the risk.
void keep_loaded(boost::dll::shared_library lib) {
  static std::mutex mutex;
  static auto* libraries = new std::vector<boost::dll::shared_library>();
  std::lock_guard lock(mutex);
  libraries->push_back(std::move(lib));
}

// Copy a plugin struct that declares its own size into a zeroed host struct.
template <class T>
T copy_sized(const void* src, uint32_t declared) {
  T dst{};
  std::memcpy(&dst, src, std::min<size_t>(declared, sizeof(T)));
  return dst;
}

std::string str(const char* s) { return s == nullptr ? std::string() : std::string(s); }

config::ValueType value_type(uint32_t t, bool& ok) {
  ok = true;
  switch (t) {
    case FERRY_CFG_STRING: return config::ValueType::String;
    case FERRY_CFG_INTEGER: return config::ValueType::Integer;
    case FERRY_CFG_NUMBER: return config::ValueType::Number;
    case FERRY_CFG_BOOLEAN: return config::ValueType::Boolean;
    case FERRY_CFG_STRING_LIST: return config::ValueType::StringList;
    case FERRY_CFG_JSON: return config::ValueType::Json;
    default: ok = false; return config::ValueType::Json;
  }
}

// Turn a declared key into the validator's KeySpec; false + error if malformed.
bool read_key(const ferry_config_key_t* raw, config::KeySpec& out, std::string& error) {
  if (raw == nullptr) return error = "NULL config key", false;
  if (raw->struct_size < kConfigKeySizeV1_0)
    return error = "config key struct_size " + std::to_string(raw->struct_size) + " is smaller than ABI 1.0's " +
                   std::to_string(kConfigKeySizeV1_0),
           false;
  const auto key = copy_sized<ferry_config_key_t>(raw, raw->struct_size);
  if (key.name == nullptr || *key.name == '\0') return error = "config key without a name", false;
  out.name = key.name;
  bool ok = false;
  out.type = value_type(key.type, ok);
  if (!ok) return error = "config key '" + out.name + "' has unknown type " + std::to_string(key.type), false;
  out.description = str(key.description);
  out.required = (key.flags & FERRY_KEY_REQUIRED) != 0;
  out.secret = (key.flags & FERRY_KEY_SECRET) != 0;
  out.channel_ref = (key.flags & FERRY_KEY_CHANNEL_REF) != 0;
  if (key.flags & FERRY_KEY_HAS_MIN) out.min = key.min;
  if (key.flags & FERRY_KEY_HAS_MAX) out.max = key.max;
  if (key.allowed != nullptr)
    for (const char* const* a = key.allowed; *a != nullptr && out.allowed.size() < 10000; ++a)
      out.allowed.emplace_back(*a);
  if (key.default_json != nullptr) {
    auto parsed = nlohmann::json::parse(key.default_json, nullptr, false);
    if (parsed.is_discarded())
      return error = "config key '" + out.name + "' has a default that is not JSON: " + key.default_json, false;
    // The default must itself pass the key's own rules.
    config::Diagnostics d;
    nlohmann::json probe = {{out.name, parsed}};
    config::validate_object(probe, {out}, "", d);
    if (!d.ok()) return error = "config key '" + out.name + "' has an invalid default: " + d.errors[0].message, false;
    out.fallback = std::move(parsed);
  }
  return true;
}

bool read_component(const ferry_component_t* raw, Plugin& plugin, std::string& error) {
  if (raw == nullptr) return error = "NULL component", false;
  if (raw->struct_size < kComponentSizeV1_0)
    return error = "component struct_size " + std::to_string(raw->struct_size) + " is smaller than ABI 1.0's " +
                   std::to_string(kComponentSizeV1_0),
           false;
  auto c = std::make_unique<Component>();
  c->plugin = &plugin;
  c->desc = copy_sized<ferry_component_t>(raw, raw->struct_size);
  c->type = str(c->desc.type);
  c->version = str(c->desc.version);
  c->description = str(c->desc.description);
  c->kind = c->desc.kind;
  const std::string prefix = plugin.name + ".";
  if (c->type.size() <= prefix.size() || c->type.compare(0, prefix.size(), prefix) != 0)
    return error = "component type '" + c->type + "' must be named '" + prefix + "<component>'", false;
  if (kind_name(c->kind) == "unknown")
    return error = "component '" + c->type + "' has unknown kind " + std::to_string(c->kind), false;
  const auto& d = c->desc;
  if (!d.create || !d.start || !d.stop || !d.destroy)
    return error = "component '" + c->type + "' lacks create/start/stop/destroy", false;
  const bool has_kind_fn = (c->kind == FERRY_KIND_SOURCE) || (c->kind == FERRY_KIND_TRANSFORMER && d.transform) ||
                           (c->kind == FERRY_KIND_DESTINATION && d.send) ||
                           (c->kind == FERRY_KIND_SCHEDULER && d.next_fire);
  if (!has_kind_fn)
    return error = "component '" + c->type + "' is a " + std::string(kind_name(c->kind)) +
                   " but lacks the function that kind requires",
           false;
  if (d.config_key_count > 0 && d.config_keys == nullptr)
    return error = "component '" + c->type + "' declares keys but no key table", false;
  std::set<std::string> key_names;
  for (uint32_t i = 0; i < d.config_key_count; ++i) {
    config::KeySpec key;
    if (!read_key(d.config_keys[i], key, error)) return error = "component '" + c->type + "': " + error, false;
    if (!key_names.insert(key.name).second)
      return error = "component '" + c->type + "' declares config key '" + key.name + "' twice", false;
    c->keys.push_back(std::move(key));
  }
  for (const auto& existing : plugin.components)
    if (existing->type == c->type) return error = "duplicate component type '" + c->type + "'", false;
  plugin.components.push_back(std::move(c));
  return true;
}

std::string version_text(uint32_t major, uint32_t minor) {
  return std::to_string(major) + "." + std::to_string(minor);
}

// Boost.DLL clears dlerror(), so ask the dynamic loader once more for the
// reason (missing symbol, wrong architecture...) to put in the error.
std::string load_failure_reason(const std::filesystem::path& file, const std::string& fallback) {
  void* handle = dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = dlerror();
    return why != nullptr ? why : fallback;
  }
  dlclose(handle);
  return fallback;
}

}  // namespace

std::string_view kind_name(uint32_t kind) {
  switch (kind) {
    case FERRY_KIND_SOURCE: return "source";
    case FERRY_KIND_DESTINATION: return "destination";
    case FERRY_KIND_TRANSFORMER: return "transformer";
    case FERRY_KIND_SCHEDULER: return "scheduler";
    default: return "unknown";
  }
}

std::unique_ptr<Plugin> open_plugin(const std::filesystem::path& given, std::string& error) {
  std::error_code abs_ec;
  const std::filesystem::path file = std::filesystem::absolute(given, abs_ec);
  const std::string where = file.string() + ": ";
  boost::dll::shared_library lib;
  boost::dll::fs::error_code ec;
  // RTLD_NOW: a missing symbol fails here, not at 3 a.m. on first use.
  // RTLD_LOCAL: two plugins may carry different versions of one library.
  lib.load(file, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local, ec);
  if (ec) {
    error = where + "cannot load: " + load_failure_reason(file, ec.message());
    return nullptr;
  }
  if (!lib.has(FERRY_PLUGIN_ENTRY_SYMBOL)) {
    error = where + "not a Ferry plugin (it does not export " FERRY_PLUGIN_ENTRY_SYMBOL ")";
    keep_loaded(std::move(lib));
    return nullptr;
  }
  auto entry = lib.get<const ferry_plugin_t*(uint32_t, uint32_t)>(FERRY_PLUGIN_ENTRY_SYMBOL);
  keep_loaded(lib);
  const ferry_plugin_t* raw = entry(FERRY_ABI_MAJOR, FERRY_ABI_MINOR);
  if (raw == nullptr) {
    error = where + "the plugin refused to load on this host (host ABI " +
            version_text(FERRY_ABI_MAJOR, FERRY_ABI_MINOR) + ")";
    return nullptr;
  }
  // Only the first three fields are trusted before the version check.
  if (raw->abi_major != FERRY_ABI_MAJOR) {
    error = where + "built for Ferry plugin ABI " + version_text(raw->abi_major, raw->abi_minor) +
            ", but this host speaks ABI " + version_text(FERRY_ABI_MAJOR, FERRY_ABI_MINOR) +
            " (the major version must match; rebuild the plugin against this SDK)";
    return nullptr;
  }
  if (raw->abi_minor > FERRY_ABI_MINOR) {
    error = where + "built for Ferry plugin ABI " + version_text(raw->abi_major, raw->abi_minor) +
            ", newer than this host's ABI " + version_text(FERRY_ABI_MAJOR, FERRY_ABI_MINOR) +
            " (upgrade Ferry, or build the plugin against an older SDK)";
    return nullptr;
  }
  if (raw->struct_size < kPluginSizeV1_0) {
    error = where + "plugin descriptor struct_size " + std::to_string(raw->struct_size) +
            " is smaller than ABI 1.0's " + std::to_string(kPluginSizeV1_0);
    return nullptr;
  }
  auto plugin = std::make_unique<Plugin>();
  plugin->file = file;
  plugin->desc = copy_sized<ferry_plugin_t>(raw, raw->struct_size);
  plugin->abi_major = raw->abi_major;
  plugin->abi_minor = raw->abi_minor;
  plugin->name = str(plugin->desc.name);
  plugin->version = str(plugin->desc.version);
  plugin->description = str(plugin->desc.description);
  const std::string stem = file.stem().string();
  if (plugin->name != stem) {
    error = where + "the plugin calls itself '" + plugin->name + "' but its file is " + stem +
            ".so (they must match)";
    return nullptr;
  }
  const auto& d = plugin->desc;
  if (d.component_count > 0 && d.components == nullptr) {
    error = where + "declares components but no component table";
    return nullptr;
  }
  if (d.component_count > 10000) {
    error = where + "declares an implausible " + std::to_string(d.component_count) + " components";
    return nullptr;
  }
  for (uint32_t i = 0; i < d.component_count; ++i) {
    std::string why;
    if (!read_component(d.components[i], *plugin, why)) {
      error = where + why;
      return nullptr;
    }
  }
  return plugin;
}

std::vector<std::filesystem::path> plugin_files(const std::vector<std::filesystem::path>& dirs) {
  std::vector<std::filesystem::path> out;
  for (const auto& dir : dirs) {
    std::error_code ec;
    std::vector<std::filesystem::path> here;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec))
      if (entry.path().extension() == ".so") here.push_back(entry.path());
    std::sort(here.begin(), here.end());
    out.insert(out.end(), here.begin(), here.end());
  }
  return out;
}

}  // namespace ferry::loader
