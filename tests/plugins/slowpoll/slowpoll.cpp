// slowpoll: a source whose poll() takes sleep_ms (it blocks its host worker
// on purpose), for the tests that check a schedule never piles up polls.
// Each poll appends "<start ms> <end ms>" to `log`.
#include <ferry/plugin.hpp>

#include <chrono>
#include <fstream>
#include <thread>

namespace {

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

class Slow : public ferry::Source {
 public:
  static constexpr const char* type = "slowpoll.source";
  static constexpr const char* version = "1.0.0";
  static constexpr const char* description = "Each poll sleeps sleep_ms and logs when it ran";
  static constexpr std::array config_keys = {
      ferry::Key::integer("sleep_ms").describe("How long each poll takes").fallback("1000").range(0, 60000),
      ferry::Key::string("log").describe("File each poll appends '<start ms> <end ms>' to").required().min(1),
  };
  Slow(ferry::Instance self, const ferry::Config& c)
      : Source(self), sleep_ms_(c.integer("sleep_ms")), log_(c.string("log")) {}

  void poll() override {
    const int64_t start = now_ms();
    std::this_thread::sleep_for(std::chrono::milliseconds(sleep_ms_));
    std::ofstream(log_, std::ios::app) << start << " " << now_ms() << "\n";
  }

 private:
  int64_t sleep_ms_;
  std::string log_;
};

}  // namespace

FERRY_PLUGIN("slowpoll", "1.0.0", "A source with a slow poll (tests)", ferry::component<Slow>());
