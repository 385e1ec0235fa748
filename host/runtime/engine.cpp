#include "runtime/engine.hpp"

#include "log/log.hpp"
#include "runtime/channel.hpp"

namespace ferry::runtime {

Engine::Engine(const config::Config& config, const loader::Registry& registry)
    : config_(config), registry_(registry) {}

Engine::~Engine() { stop(); }

bool Engine::start(std::vector<std::string>& errors) {
  work_.emplace(io_.get_executor());
  for (int i = 0; i < config_.engine.workers; ++i) workers_.emplace_back([this] { io_.run(); });
  for (const auto& spec : config_.channels) {
    if (!spec.enabled) {
      log::write(log::Level::info, "host", spec.id, "channel disabled in config; not started");
      continue;
    }
    auto ch = std::make_unique<Channel>(*this, spec);
    channels_.push_back(std::move(ch));
    if (!channels_.back()->create(registry_, errors)) break;
  }
  if (errors.empty()) {
    for (auto& ch : channels_)
      if (!ch->start(errors)) break;
  }
  if (!errors.empty()) {
    stop();
    return false;
  }
  return true;
}

void Engine::stop() {
  if (stopped_) return;
  stopped_ = true;
  // Sources first, so nothing new comes in while the rest drains.
  for (auto& ch : channels_) ch->stop_source();
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(config_.engine.shutdown_timeout_ms);
  for (auto& ch : channels_) {
    if (ch->drain(deadline)) continue;
    for (const auto& d : ch->destinations())
      if (d->queued() > 0)
        log::write(log::Level::warn, "host", ch->id(),
                   "destination " + d->id() + " still has " + std::to_string(d->queued()) +
                       " message(s) queued at shutdown");
  }
  for (auto& ch : channels_) {
    ch->stop_rest();
    const auto& s = ch->stats();
    std::string summary = "channel stopped: received=" + std::to_string(s.received) +
                          " filtered=" + std::to_string(s.filtered) + " errored=" + std::to_string(s.errored);
    for (const auto& d : ch->destinations())
      summary += " | " + d->id() + ": sent=" + std::to_string(d->stats().sent) +
                 " filtered=" + std::to_string(d->stats().filtered) +
                 " errored=" + std::to_string(d->stats().errored) + " queued=" + std::to_string(d->queued());
    log::write(log::Level::info, "host", ch->id(), summary);
  }
  work_.reset();
  io_.stop();
  for (auto& t : workers_) t.join();
  workers_.clear();
}

}  // namespace ferry::runtime
