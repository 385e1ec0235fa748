#include "routes.hpp"

namespace channel_plugin {

Routes& Routes::instance() {
  static Routes routes;
  return routes;
}

void Routes::attach(const std::string& channel, std::shared_ptr<ReaderLink> link) {
  std::lock_guard lock(mutex_);
  links_[channel] = std::move(link);
}

void Routes::detach(const std::string& channel, const std::shared_ptr<ReaderLink>& link) {
  std::lock_guard lock(mutex_);
  auto it = links_.find(channel);
  if (it != links_.end() && it->second == link) links_.erase(it);
}

std::shared_ptr<ReaderLink> Routes::find(const std::string& channel) {
  std::lock_guard lock(mutex_);
  auto it = links_.find(channel);
  return it == links_.end() ? nullptr : it->second;
}

}  // namespace channel_plugin
