#include "cli/store_access.hpp"

#include <ctime>

#include "cli/setup.hpp"
#include "config/load.hpp"
#include "runtime/engine.hpp"
#include "store/schema.hpp"
#include "store/records.hpp"

namespace ferry::cli {

namespace po = boost::program_options;

void add_store_options(po::options_description& opts) {
  opts.add_options()("config,c", po::value<std::string>()->default_value("config/ferry.json"),
                     "config whose engine.data_dir holds the store")(
      "data-dir", po::value<std::string>(), "the engine's data_dir (instead of reading a config)");
}

std::unique_ptr<store::Database> open_store(const po::variables_map& vm) {
  std::filesystem::path file;
  if (vm.count("data-dir")) {
    file = std::filesystem::path(vm["data-dir"].as<std::string>()) / "ferry.db";
  } else {
    config::Diagnostics diag;
    const std::string config_file = vm["config"].as<std::string>();
    auto cfg = config::load_config(config_file, default_plugin_dirs(), diag);
    if (!cfg) throw std::runtime_error(config_file + ": " + (diag.errors.empty() ? "unreadable" : diag.errors[0].text()));
    file = runtime::Engine::store_file(cfg->engine);
  }
  if (!std::filesystem::exists(file))
    throw std::runtime_error("no store at " + file.string() + " (has the engine run with this data_dir?)");
  auto db = std::make_unique<store::Database>(file.string(), false);
  store::migrate(*db);
  return db;
}

std::string format_time(int64_t unix_ms) {
  const std::time_t secs = static_cast<std::time_t>(unix_ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(unix_ms % 1000));
  return buf;
}

std::optional<int64_t> parse_time(const std::string& text) {
  if (text.empty()) return std::nullopt;
  if (text.find_first_not_of("0123456789") == std::string::npos) return std::stoll(text);
  const char unit = text.back();
  const std::string number = text.substr(0, text.size() - 1);
  if ((unit == 's' || unit == 'm' || unit == 'h' || unit == 'd') && !number.empty() &&
      number.find_first_not_of("0123456789") == std::string::npos) {
    const int64_t n = std::stoll(number);
    const int64_t ms = unit == 's' ? 1000 : unit == 'm' ? 60000 : unit == 'h' ? 3600000 : 86400000;
    return store::now_ms() - n * ms;
  }
  std::tm tm{};
  const char* end = strptime(text.c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
  if (end == nullptr) {
    tm = {};
    end = strptime(text.c_str(), "%Y-%m-%d", &tm);
  }
  if (end == nullptr || (*end != '\0' && std::string(end) != "Z")) return std::nullopt;
  return static_cast<int64_t>(timegm(&tm)) * 1000;
}

}  // namespace ferry::cli
