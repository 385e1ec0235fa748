#include "cli/setup.hpp"

#include <boost/dll/runtime_symbol_info.hpp>

#include <iostream>

#include "config/load.hpp"
#include "runtime/binding.hpp"
#include "runtime/objects.hpp"

namespace ferry::cli {

std::vector<std::filesystem::path> default_plugin_dirs() {
  boost::dll::fs::error_code ec;
  const std::filesystem::path bin = boost::dll::program_location(ec).parent_path();
  return {(bin / ".." / "plugins").lexically_normal(), (bin / ".." / "lib" / "ferry" / "plugins").lexically_normal()};
}

void print_errors(const std::filesystem::path& file, const config::Diagnostics& diag) {
  std::cerr << file.string() << ": " << diag.errors.size() << (diag.errors.size() == 1 ? " error" : " errors")
            << "\n";
  for (const auto& e : diag.errors) std::cerr << "  " << e.text() << "\n";
}

std::optional<config::Config> prepare(const std::filesystem::path& file, loader::Registry& registry) {
  config::Diagnostics diag;
  auto cfg = config::load_config(file, default_plugin_dirs(), diag);
  if (cfg) {
    registry.load(cfg->plugins, cfg->engine.plugin_dirs, runtime::host_api(), diag);
    runtime::bind_components(*cfg, registry, diag);
  }
  if (!diag.ok()) {
    print_errors(file, diag);
    return std::nullopt;
  }
  return cfg;
}

}  // namespace ferry::cli
