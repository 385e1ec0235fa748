#include "cli/test_run.hpp"

#include <iostream>

#include "cli/setup.hpp"
#include "cli/test_checks.hpp"
#include "cli/test_file.hpp"
#include "dryrun/dry_run.hpp"
#include "dryrun/input.hpp"
#include "dryrun/render.hpp"

namespace ferry::cli {

namespace {

// Every expectation must name a destination of the channel.
void check_destination_ids(const TestFile& t, const config::ChannelSpec& channel, config::Diagnostics& diag) {
  std::string ids;
  for (const auto& d : channel.destinations) ids += (ids.empty() ? "" : ", ") + d.id;
  for (const auto& c : t.cases)
    for (const auto& e : c.expect) {
      bool found = false;
      for (const auto& d : channel.destinations) found = found || d.id == e.id;
      if (!found)
        diag.add(e.path, "no destination \"" + e.id + "\" in channel \"" + channel.id +
                             "\" (its destinations: " + (ids.empty() ? "none" : ids) + ")");
    }
}

void print_failure(const TestFile& t, const TestCase& c, const CheckFailure& f) {
  std::cout << "    " << t.file.string() << ": case " << dryrun::quote(c.name) << ": " << f.where << ": " << f.check
            << "\n";
  size_t start = 0;
  while (start < f.detail.size()) {
    const size_t end = f.detail.find('\n', start);
    const size_t stop = end == std::string::npos ? f.detail.size() : end;
    std::cout << "      " << std::string_view(f.detail).substr(start, stop - start) << "\n";
    start = stop + 1;
  }
}

}  // namespace

FileResult run_test_file(const std::filesystem::path& file) {
  FileResult result;
  config::Diagnostics diag;
  const TestFile t = read_test_file(file, diag);
  if (!diag.ok()) {
    print_errors(file, diag);
    result.status = 2;
    return result;
  }
  loader::Registry registry;
  const ShutdownOnExit guard{registry};
  const auto cfg = prepare(t.config, registry);
  if (!cfg) {
    std::cerr << file.string() << ": /config: " << t.config.string() << " is not a valid config (errors above)\n";
    result.status = 2;
    return result;
  }
  std::string error;
  const config::ChannelSpec* channel = dryrun::find_channel(*cfg, t.channel, error);
  if (channel == nullptr) {
    diag.add("/channel", error);
  } else {
    check_destination_ids(t, *channel, diag);
  }
  if (!diag.ok()) {
    print_errors(file, diag);
    result.status = 2;
    return result;
  }

  std::cout << "== " << file.string() << ": channel " << dryrun::quote(channel->id) << " of " << t.config.string()
            << ", " << t.cases.size() << (t.cases.size() == 1 ? " case" : " cases") << "\n";
  for (const auto& c : t.cases) {
    // Fresh transformers for every case, so no case sees state another left.
    dryrun::Trace trace;
    {
      dryrun::DryRun run(*cfg, registry, *channel);
      std::vector<std::string> errors;
      if (!run.start(errors)) {
        std::cerr << file.string() << ": cannot start the transformers of channel \"" << channel->id << "\":\n";
        for (const auto& e : errors) std::cerr << "  " << e << "\n";
        result.status = 2;
        return result;
      }
      trace = run.run(c.input);
    }
    const auto failures = check_case(c, trace);
    std::cout << (failures.empty() ? "  PASS  " : "  FAIL  ") << c.name << "\n";
    for (const auto& f : failures) print_failure(t, c, f);
    (failures.empty() ? result.passed : result.failed) += 1;
  }
  result.status = result.failed > 0 ? 1 : 0;
  return result;
}

}  // namespace ferry::cli
