#include <boost/program_options.hpp>

#include <sched.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <iostream>
#include <pthread.h>

#include "cli/commands.hpp"
#include "cli/setup.hpp"
#include "log/log.hpp"
#include "runtime/engine.hpp"

namespace ferry::cli {

namespace po = boost::program_options;

namespace {

// The engine's threads hand each message on to one another (connection,
// store writer, workers). Under the default policy every hand-off lets the
// woken thread preempt the one that woke it, which then often waits for a
// lock that thread holds; SCHED_BATCH turns off that wake-up preemption
// (docs/performance.md). Unprivileged, and harmless where unsupported.
void use_batch_scheduling() {
  sched_param param{};
  param.sched_priority = 0;
  if (sched_setscheduler(0, SCHED_BATCH, &param) != 0)
    log::warn(std::string("engine.cpu_scheduling \"batch\" not applied: ") + std::strerror(errno));
}

}  // namespace

int run_command(const std::vector<std::string>& args) {
  po::options_description opts("ferry run: load the config and run its channels until SIGINT/SIGTERM");
  opts.add_options()("help,h", "show this help")(
      "config,c", po::value<std::string>()->default_value("config/ferry.json"), "config file")(
      "log-level", po::value<std::string>(), "trace|debug|info|warn|error (overrides engine.log_level)");
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(opts).run(), vm);
  po::notify(vm);
  if (vm.count("help")) {
    std::cout << "Usage: ferry run [-c FILE] [--log-level LEVEL]\n" << opts;
    return 0;
  }

  // Signals are taken synchronously by this thread only: block them before
  // any worker or plugin thread exists, so every thread inherits the mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  std::optional<log::Level> cli_level;
  if (vm.count("log-level")) {
    cli_level = log::parse_level(vm["log-level"].as<std::string>());
    if (!cli_level) {
      std::cerr << "ferry run: unknown log level '" << vm["log-level"].as<std::string>() << "'\n";
      return 2;
    }
    log::set_level(*cli_level);
  }

  const std::filesystem::path file = vm["config"].as<std::string>();
  loader::Registry registry;
  const ShutdownOnExit guard{registry};
  auto cfg = prepare(file, registry);
  if (!cfg) return 1;
  if (!cli_level) log::set_level(log::parse_level(cfg->engine.log_level).value_or(log::Level::info));

  // Before the engine starts its threads: they inherit the policy.
  if (cfg->engine.cpu_scheduling_batch) use_batch_scheduling();

  std::error_code ec;
  std::filesystem::create_directories(cfg->engine.data_dir, ec);
  if (ec) {
    log::error("cannot create data_dir " + cfg->engine.data_dir.string() + ": " + ec.message());
    return 1;
  }

  int status = 0;
  {
    runtime::Engine engine(*cfg, registry);
    std::vector<std::string> errors;
    if (!engine.start(errors)) {
      for (const auto& e : errors) log::error(e);
      status = 1;
    } else {
      log::info("ferry " FERRY_VERSION " running " + std::to_string(engine.channels().size()) +
                " channel(s) from " + file.string());
      int sig = 0;
      sigwait(&signals, &sig);
      log::info(std::string("received ") + (sig == SIGINT ? "SIGINT" : "SIGTERM") + ", stopping");
      engine.stop();
    }
  }
  if (status == 0) log::info("stopped");
  return status;
}

}  // namespace ferry::cli
