// channel.writer: a destination that hands each message to another channel
// in the same engine. It counts as sent only once the target channel has
// stored the message, so a chain of channels keeps the no-loss guarantee.
#pragma once

#include <ferry/plugin.hpp>

#include <memory>
#include <mutex>
#include <set>
#include <string>

namespace channel_plugin {

class Writer : public ferry::Destination {
 public:
  static constexpr const char* type = "channel.writer";
  static constexpr const char* version = "1.0.0";
  static constexpr const char* description =
      "Sends each message to another channel of this engine (its channel.reader source)";
  static constexpr std::array config_keys = {
      ferry::Key::string("channel").describe("Id of the target channel; its source must be channel.reader").required().channel_ref(),
      ferry::Key::boolean("metadata").describe("Pass the message's metadata along").fallback("true"),
  };

  Writer(ferry::Instance self, const ferry::Config& config);
  void send(ferry::Delivery& delivery) override;
  void stop() override;

 private:
  // A send waiting for the target's answer. Either the answer or stop()
  // completes it, whichever comes first.
  struct InFlight {
    std::mutex mutex;
    std::optional<ferry::Delivery> delivery;
  };
  // Shared with emit completions, which may arrive after the writer is gone.
  struct Pending {
    std::mutex mutex;
    std::set<std::shared_ptr<InFlight>> sends;
  };
  static void finish(const std::shared_ptr<Pending>& pending, const std::shared_ptr<InFlight>& f,
                     ferry_status_t status, std::string_view error);

  std::string target_;
  bool pass_metadata_;
  std::shared_ptr<Pending> pending_ = std::make_shared<Pending>();
};

}  // namespace channel_plugin
