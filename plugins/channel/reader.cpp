#include "reader.hpp"

namespace channel_plugin {

Reader::Reader(ferry::Instance self, const ferry::Config&) : Source(self), link_(std::make_shared<ReaderLink>()) {}

void Reader::start() {
  {
    std::lock_guard lock(link_->mutex);
    link_->reader = this;
  }
  Routes::instance().attach(std::string(self().channel()), link_);
}

void Reader::stop() {
  Routes::instance().detach(std::string(self().channel()), link_);
  std::lock_guard lock(link_->mutex);  // waits for an emit in progress
  link_->reader = nullptr;
}

}  // namespace channel_plugin
