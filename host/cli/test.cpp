// ferry test: channel tests from files kept next to the config
// (docs/testing.md). Each file runs in its own child process: its config's
// plugins are loaded and initialised once there, as in `ferry run`, and a
// plugin that crashes fails that file without taking the others down.
#include <boost/program_options.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/test_run.hpp"
#include "log/log.hpp"

namespace ferry::cli {

namespace po = boost::program_options;

namespace {

// Runs one file in a child; the child reports its counts through a pipe.
FileResult run_in_child(const std::filesystem::path& file) {
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);
  int fds[2];
  if (pipe(fds) != 0) {
    std::cerr << "ferry test: pipe: " << std::strerror(errno) << "\n";
    return {0, 0, 2};
  }
  const pid_t pid = fork();
  if (pid < 0) {
    std::cerr << "ferry test: fork: " << std::strerror(errno) << "\n";
    close(fds[0]);
    close(fds[1]);
    return {0, 0, 2};
  }
  if (pid == 0) {
    close(fds[0]);
    FileResult r;
    try {
      r = run_test_file(file);
    } catch (const std::exception& e) {
      std::cout.flush();
      std::cerr << file.string() << ": " << e.what() << "\n";
      r.status = 2;
    }
    std::cout.flush();
    const std::string counts = std::to_string(r.passed) + " " + std::to_string(r.failed) + "\n";
    [[maybe_unused]] const auto written = write(fds[1], counts.data(), counts.size());
    close(fds[1]);
    std::exit(r.status);
  }
  close(fds[1]);
  std::string report;
  char buf[64];
  for (;;) {
    const ssize_t n = read(fds[0], buf, sizeof buf);
    if (n > 0) report.append(buf, static_cast<size_t>(n));
    else if (n == 0 || errno != EINTR) break;
  }
  close(fds[0]);
  int wstatus = 0;
  while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR) {
  }
  FileResult r;
  std::istringstream(report) >> r.passed >> r.failed;
  if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) <= 2 && !report.empty()) {
    r.status = WEXITSTATUS(wstatus);
    return r;
  }
  std::cout.flush();
  const std::string how = WIFSIGNALED(wstatus) ? std::string("was killed by signal ") +
                                                     std::to_string(WTERMSIG(wstatus)) + " (" +
                                                     strsignal(WTERMSIG(wstatus)) + ")"
                                               : "exited with status " + std::to_string(WEXITSTATUS(wstatus));
  std::cout << "FAIL  " << file.string() << ": the test run " << how
            << " (a plugin crashed?); its remaining cases did not run\n";
  r.failed += 1;
  r.status = 1;
  return r;
}

}  // namespace

int test_command(const std::vector<std::string>& args) {
  po::options_description opts("ferry test: run channel test files (transformers only: no network, no store)");
  opts.add_options()("help,h", "show this help")(
      "log-level", po::value<std::string>()->default_value("warn"), "trace|debug|info|warn|error for plugin log lines");
  po::options_description hidden;
  hidden.add_options()("file", po::value<std::vector<std::string>>(), "test file");
  po::options_description all;
  all.add(opts).add(hidden);
  po::positional_options_description positional;
  positional.add("file", -1);
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(all).positional(positional).run(), vm);
  po::notify(vm);
  const char* usage = "Usage: ferry test [--log-level LEVEL] FILE...\n";
  if (vm.count("help")) {
    std::cout << usage
              << "Exit status 0 when every case passes, 1 when one fails, 2 for a bad test file, config or option.\n"
              << "The test file format: docs/testing.md.\n"
              << opts;
    return 0;
  }
  if (!vm.count("file")) {
    std::cerr << "ferry test: no test file given\n" << usage;
    return 2;
  }
  const auto level = log::parse_level(vm["log-level"].as<std::string>());
  if (!level) {
    std::cerr << "ferry test: unknown log level '" << vm["log-level"].as<std::string>() << "'\n";
    return 2;
  }
  log::set_level(*level);

  const auto files = vm["file"].as<std::vector<std::string>>();
  int passed = 0, failed = 0, broken = 0, status = 0;
  for (const auto& f : files) {
    if (&f != &files.front()) std::cout << "\n";
    const FileResult r = run_in_child(f);
    passed += r.passed;
    failed += r.failed;
    broken += r.status == 2 ? 1 : 0;
    status = std::max(status, r.status);
  }
  std::cout << "\nferry test: " << passed << " passed, " << failed << " failed";
  if (broken > 0) std::cout << ", " << broken << (broken == 1 ? " file" : " files") << " not run (errors above)";
  std::cout << " (" << files.size() << (files.size() == 1 ? " file" : " files") << ")\n";
  return status;
}

}  // namespace ferry::cli
