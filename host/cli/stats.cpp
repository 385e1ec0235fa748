// ferry stats: message counters per channel and destination (they survive
// restarts), with the current queue depth.
#include <boost/program_options.hpp>

#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/store_access.hpp"
#include "store/admin.hpp"

namespace ferry::cli {

namespace po = boost::program_options;

int stats_command(const std::vector<std::string>& args) {
  po::options_description opts("ferry stats: counters per channel and destination, from the store");
  opts.add_options()("help,h", "show this help")("json", "print JSON");
  add_store_options(opts);
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(opts).run(), vm);
  po::notify(vm);
  if (vm.count("help")) {
    std::cout << "Usage: ferry stats [-c FILE | --data-dir DIR] [--json]\n" << opts;
    return 0;
  }
  auto db = open_store(vm);
  const auto rows = store::read_stats(*db);
  if (vm.count("json")) {
    nlohmann::ordered_json out = nlohmann::ordered_json::object();
    for (const auto& r : rows) {
      auto& ch = out[r.channel];
      if (!ch.contains("destinations")) ch["destinations"] = nlohmann::ordered_json::object();
      if (r.destination.empty()) {
        ch["received"] = r.received;
        ch["filtered"] = r.filtered;
        ch["errored"] = r.errored;
        ch["duplicates"] = r.duplicates;
      } else {
        ch["destinations"][r.destination] = {{"sent", r.sent},       {"filtered", r.filtered},
                                             {"errored", r.errored}, {"retries", r.retries},
                                             {"queued", r.queued}};
      }
    }
    std::cout << out.dump(2) << "\n";
    return 0;
  }
  std::cout << std::left << std::setw(20) << "CHANNEL" << std::setw(16) << "DESTINATION" << std::right
            << std::setw(10) << "RECEIVED" << std::setw(10) << "SENT" << std::setw(10) << "FILTERED" << std::setw(10)
            << "ERRORED" << std::setw(10) << "RETRIES" << std::setw(10) << "QUEUED" << "\n";
  for (const auto& r : rows) {
    const bool channel_row = r.destination.empty();
    std::cout << std::left << std::setw(20) << r.channel << std::setw(16) << (channel_row ? "-" : r.destination)
              << std::right << std::setw(10) << (channel_row ? std::to_string(r.received) : "") << std::setw(10)
              << (channel_row ? "" : std::to_string(r.sent)) << std::setw(10) << r.filtered << std::setw(10)
              << r.errored << std::setw(10) << (channel_row ? "" : std::to_string(r.retries)) << std::setw(10)
              << (channel_row ? "" : std::to_string(r.queued)) << "\n";
  }
  return 0;
}

}  // namespace ferry::cli
