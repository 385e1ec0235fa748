#include <boost/program_options.hpp>

#include <iostream>

#include "cli/check_create.hpp"
#include "cli/commands.hpp"
#include "cli/setup.hpp"

namespace ferry::cli {

namespace po = boost::program_options;

int check_command(const std::vector<std::string>& args) {
  po::options_description opts("ferry check: validate a config (and the plugins it enables) without running it");
  opts.add_options()("help,h", "show this help")(
      "config,c", po::value<std::string>()->default_value("config/ferry.json"), "config file");
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(opts).run(), vm);
  po::notify(vm);
  if (vm.count("help")) {
    std::cout << "Usage: ferry check [-c FILE]\nExit status 0 when the config is valid, 1 otherwise.\n" << opts;
    return 0;
  }
  const std::filesystem::path file = vm["config"].as<std::string>();
  loader::Registry registry;
  auto cfg = prepare(file, registry);
  if (!cfg) {
    registry.shutdown();
    return 1;
  }
  const std::vector<std::string> refused = create_every_component(*cfg, registry);
  registry.shutdown();
  for (const auto& e : refused) std::cerr << file.string() << ": " << e << "\n";
  if (!refused.empty()) return 1;
  size_t enabled = 0;
  for (const auto& ch : cfg->channels) enabled += ch.enabled ? 1 : 0;
  std::cout << file.string() << ": OK (" << cfg->plugins.size() << " plugin(s), " << cfg->channels.size()
            << " channel(s), " << enabled << " enabled)\n";
  return 0;
}

}  // namespace ferry::cli
