// channel.reader: the source of a channel fed by other channels' writers.
#pragma once

#include <ferry/plugin.hpp>

#include "routes.hpp"

namespace channel_plugin {

class Reader : public ferry::Source {
 public:
  static constexpr const char* type = "channel.reader";
  static constexpr const char* version = "1.0.0";
  static constexpr const char* description =
      "Receives messages that channel.writer destinations of other channels send to this channel";

  Reader(ferry::Instance self, const ferry::Config& config);
  void start() override;
  void stop() override;

 private:
  std::shared_ptr<ReaderLink> link_;
};

}  // namespace channel_plugin
