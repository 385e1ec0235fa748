// ferry: the host process. Everything it does is a subcommand.
#include <ferry/plugin.h>

#include <boost/program_options/errors.hpp>

#include <iostream>
#include <string>
#include <vector>

#include "cli/commands.hpp"

namespace {

const char* const kUsage =
    "Usage: ferry <command> [options]\n"
    "\n"
    "Commands:\n"
    "  run      run the channels of a config until SIGINT/SIGTERM\n"
    "  check    validate a config and the plugins it enables (exit 0/1)\n"
    "  plugins  list plugins, their components and config keys\n"
    "  messages list, search, show, reprocess or resend stored messages\n"
    "  stats    message counters per channel and destination\n"
    "  test     run channel test files: expected output per destination (exit 0/1)\n"
    "  try      run one message through a channel's transformers and show each step\n"
    "\n"
    "Options:\n"
    "  --version  print the version and the plugin ABI version\n"
    "  --help     this text; `ferry <command> --help` for a command\n";

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::cout << kUsage;
    return args.empty() ? 2 : 0;
  }
  if (args[0] == "--version" || args[0] == "-V") {
    std::cout << "ferry " FERRY_VERSION " (plugin ABI " << FERRY_ABI_MAJOR << "." << FERRY_ABI_MINOR << ")\n";
    return 0;
  }
  const std::string command = args[0];
  args.erase(args.begin());
  try {
    if (command == "run") return ferry::cli::run_command(args);
    if (command == "check") return ferry::cli::check_command(args);
    if (command == "plugins") return ferry::cli::plugins_command(args);
    if (command == "messages") return ferry::cli::messages_command(args);
    if (command == "stats") return ferry::cli::stats_command(args);
    if (command == "test") return ferry::cli::test_command(args);
    if (command == "try") return ferry::cli::try_command(args);
  } catch (const boost::program_options::error& e) {
    std::cerr << "ferry " << command << ": " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "ferry " << command << ": " << e.what() << "\n";
    return 1;
  }
  std::cerr << "ferry: unknown command '" << command << "'\n\n" << kUsage;
  return 2;
}
