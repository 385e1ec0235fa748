// The in-process link between channel.writer destinations and the
// channel.reader sources of other channels: a process-wide table from
// channel id to the reader's live handle.
#pragma once

#include <ferry/plugin.hpp>

#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace channel_plugin {

// A reader's handle while it runs. The writer emits through it under its
// mutex, so a reader that stops never receives an emit after stop().
struct ReaderLink {
  std::mutex mutex;
  ferry::Source* reader = nullptr;  // null once the reader stopped
};

class Routes {
 public:
  static Routes& instance();
  void attach(const std::string& channel, std::shared_ptr<ReaderLink> link);
  void detach(const std::string& channel, const std::shared_ptr<ReaderLink>& link);
  std::shared_ptr<ReaderLink> find(const std::string& channel);

 private:
  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<ReaderLink>> links_;
};

}  // namespace channel_plugin
