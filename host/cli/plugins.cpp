#include <boost/program_options.hpp>

#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/setup.hpp"
#include "config/diagnostics.hpp"
#include "config/load.hpp"
#include "loader/plugin.hpp"

namespace ferry::cli {

namespace po = boost::program_options;
using nlohmann::json;

namespace {

json key_json(const config::KeySpec& k) {
  json j = {{"name", k.name},
            {"type", config::type_name(k.type)},
            {"required", k.required},
            {"description", k.description}};
  if (k.fallback) j["default"] = *k.fallback;
  if (k.secret) j["secret"] = true;
  if (k.min) j["min"] = *k.min;
  if (k.max) j["max"] = *k.max;
  if (!k.allowed.empty()) j["allowed"] = k.allowed;
  return j;
}

json plugin_json(const loader::Plugin& p) {
  json comps = json::array();
  for (const auto& c : p.components) {
    json keys = json::array();
    for (const auto& k : c->keys) keys.push_back(key_json(k));
    comps.push_back({{"type", c->type},
                     {"kind", loader::kind_name(c->kind)},
                     {"version", c->version},
                     {"description", c->description},
                     {"config", keys}});
  }
  return {{"name", p.name},
          {"file", p.file.string()},
          {"version", p.version},
          {"abi", std::to_string(p.abi_major) + "." + std::to_string(p.abi_minor)},
          {"description", p.description},
          {"components", comps}};
}

void print_text(const loader::Plugin& p) {
  std::cout << p.name << " " << p.version << " (built for plugin ABI " << p.abi_major << "." << p.abi_minor
            << ")\n  file: " << p.file.string() << "\n  " << p.description << "\n";
  for (const auto& c : p.components) {
    std::cout << "\n  " << c->type << "  [" << loader::kind_name(c->kind) << " " << c->version << "]  "
              << c->description << "\n";
    for (const auto& k : c->keys) {
      std::cout << "    " << k.name << "  " << config::describe_expected(k);
      if (k.required) std::cout << ", required";
      else if (k.fallback) std::cout << ", default " << (k.secret ? "<secret>" : k.fallback->dump());
      if (k.secret) std::cout << ", secret";
      std::cout << "\n      " << k.description << "\n";
    }
  }
  std::cout << "\n";
}

}  // namespace

int plugins_command(const std::vector<std::string>& args) {
  po::options_description opts("ferry plugins: list the plugins found, their components and config keys");
  opts.add_options()("help,h", "show this help")("json", "print JSON")(
      "config,c", po::value<std::string>(), "use this config's engine.plugin_dirs")(
      "plugin-dir", po::value<std::vector<std::string>>(), "search this folder (repeatable)");
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(opts).run(), vm);
  po::notify(vm);
  if (vm.count("help")) {
    std::cout << "Usage: ferry plugins [--json] [-c FILE | --plugin-dir DIR...]\n" << opts;
    return 0;
  }
  std::vector<std::filesystem::path> dirs = default_plugin_dirs();
  if (vm.count("plugin-dir")) {
    dirs.clear();
    for (const auto& d : vm["plugin-dir"].as<std::vector<std::string>>()) dirs.emplace_back(d);
  } else if (vm.count("config")) {
    config::Diagnostics diag;
    auto cfg = config::load_config(vm["config"].as<std::string>(), dirs, diag);
    if (!cfg) {
      print_errors(vm["config"].as<std::string>(), diag);
      return 1;
    }
    dirs = cfg->engine.plugin_dirs;
  }

  json all = json::array();
  json problems = json::array();
  bool any_error = false;
  size_t found = 0;
  for (const auto& file : loader::plugin_files(dirs)) {
    std::string error;
    auto plugin = loader::open_plugin(file, error);
    if (!plugin) {
      any_error = true;
      problems.push_back({{"file", file.string()}, {"error", error}});
      continue;
    }
    ++found;
    if (vm.count("json")) all.push_back(plugin_json(*plugin));
    else print_text(*plugin);
  }
  if (vm.count("json")) {
    std::cout << json{{"plugin_dirs", [&] {
                         json d = json::array();
                         for (const auto& p : dirs) d.push_back(p.string());
                         return d;
                       }()},
                      {"plugins", all},
                      {"errors", problems}}
                     .dump(2)
              << "\n";
  } else {
    for (const auto& p : problems) std::cerr << "error: " << p["error"].get<std::string>() << "\n";
    if (found == 0 && problems.empty()) {
      std::cerr << "no plugins found in:";
      for (const auto& d : dirs) std::cerr << " " << d.string();
      std::cerr << "\n";
    }
  }
  return any_error ? 1 : 0;
}

}  // namespace ferry::cli
