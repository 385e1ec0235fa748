// ferry try: run one message through a channel's transformers (a dry run:
// no source, destination, store or network) and show every step.
#include <boost/program_options.hpp>

#include <iostream>

#include "cli/commands.hpp"
#include "cli/setup.hpp"
#include "cli/try_print.hpp"
#include "dryrun/content_type.hpp"
#include "dryrun/dry_run.hpp"
#include "dryrun/input.hpp"
#include "log/log.hpp"

namespace ferry::cli {

namespace po = boost::program_options;

int try_command(const std::vector<std::string>& args) {
  po::options_description opts(
      "ferry try: run a message through a channel's transformers and show what each step did "
      "(no source, destination, store or network)");
  opts.add_options()("help,h", "show this help")(
      "config,c", po::value<std::string>()->default_value("config/ferry.json"), "config file")(
      "channel", po::value<std::string>(), "channel id (required)")(
      "message", po::value<std::string>(), "file with the message content, - for stdin (required)")(
      "content-type", po::value<std::string>(), "content type of the message (default: guessed from the content)")(
      "meta", po::value<std::vector<std::string>>(), "KEY=VALUE metadata the source would set (repeatable)")(
      "log-level", po::value<std::string>()->default_value("warn"), "trace|debug|info|warn|error for plugin log lines");
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(opts).run(), vm);
  po::notify(vm);
  const char* usage = "Usage: ferry try [-c FILE] --channel ID --message FILE [--content-type TYPE] [--meta KEY=VALUE]...\n";
  if (vm.count("help")) {
    std::cout << usage << "Exit status 0 when the message could be run (whatever the transformers decided), "
                          "2 when the config, channel or message cannot be loaded.\n"
              << opts;
    return 0;
  }
  if (!vm.count("channel") || !vm.count("message")) {
    std::cerr << "ferry try: --channel and --message are required\n" << usage;
    return 2;
  }
  const auto level = log::parse_level(vm["log-level"].as<std::string>());
  if (!level) {
    std::cerr << "ferry try: unknown log level '" << vm["log-level"].as<std::string>() << "'\n";
    return 2;
  }
  log::set_level(*level);

  dryrun::Snapshot input;
  std::string error;
  const std::filesystem::path message_file = vm["message"].as<std::string>();
  auto content = dryrun::read_bytes(message_file, error);
  if (!content) {
    std::cerr << "ferry try: --message " << error << "\n";
    return 2;
  }
  input.content = std::move(*content);
  const bool guessed = !vm.count("content-type");
  input.content_type = guessed ? dryrun::guess_content_type(input.content) : vm["content-type"].as<std::string>();
  if (vm.count("meta"))
    for (const auto& kv : vm["meta"].as<std::vector<std::string>>()) {
      const auto eq = kv.find('=');
      if (eq == std::string::npos || eq == 0) {
        std::cerr << "ferry try: --meta '" << kv << "': expected KEY=VALUE\n";
        return 2;
      }
      input.meta.emplace_back(kv.substr(0, eq), kv.substr(eq + 1));
    }

  const std::filesystem::path file = vm["config"].as<std::string>();
  loader::Registry registry;
  const ShutdownOnExit guard{registry};
  auto cfg = prepare(file, registry);
  if (!cfg) return 2;
  const config::ChannelSpec* channel = dryrun::find_channel(*cfg, vm["channel"].as<std::string>(), error);
  if (channel == nullptr) {
    std::cerr << "ferry try: " << error << "\n";
    return 2;
  }
  dryrun::Trace trace;
  {
    dryrun::DryRun run(*cfg, registry, *channel);
    std::vector<std::string> errors;
    if (!run.start(errors)) {
      std::cerr << "ferry try: cannot start the transformers of channel \"" << channel->id << "\":\n";
      for (const auto& e : errors) std::cerr << "  " << e << "\n";
      return 2;
    }
    trace = run.run(input);
  }
  print_trace(std::cout, *channel, file, trace, guessed);
  return 0;
}

}  // namespace ferry::cli
