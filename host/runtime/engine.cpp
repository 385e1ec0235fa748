#include "runtime/engine.hpp"

#include <boost/asio/post.hpp>

#include "log/log.hpp"
#include "runtime/channel.hpp"
#include "store/admin.hpp"
#include "store/records.hpp"

namespace ferry::runtime {

Engine::Engine(const config::Config& config, const loader::Registry& registry)
    : config_(config), registry_(registry) {}

Engine::~Engine() { stop(); }

Channel* Engine::channel(const std::string& id) const {
  for (const auto& ch : channels_)
    if (ch->id() == id) return ch.get();
  return nullptr;
}

bool Engine::start(std::vector<std::string>& errors) {
  try {
    store_ = store::Store::open({store_file(config_.engine),
                                 config_.engine.durability_disk ? store::Durability::disk : store::Durability::process,
                                 static_cast<size_t>(config_.engine.max_in_flight)});
  } catch (const std::exception& e) {
    errors.push_back(e.what());
    stopped_ = true;
    return false;
  }
  work_.emplace(io_.get_executor());
  for (int i = 0; i < config_.engine.workers; ++i) workers_.emplace_back([this] { io_.run(); });
  for (const auto& spec : config_.channels) {
    if (!spec.enabled) {
      log::write(log::Level::info, "host", spec.id, "channel disabled in config; not started");
      continue;
    }
    channels_.push_back(std::make_unique<Channel>(*this, spec));
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
  schedule(commands_timer_, config_.engine.command_poll_ms, &Engine::housekeeping);
  schedule(retention_timer_, config_.engine.retention_interval_ms, &Engine::run_retention);
  return true;
}

void Engine::schedule(boost::asio::steady_timer& timer, int64_t ms, void (Engine::*job)()) {
  if (stopping_) return;
  timer.expires_after(std::chrono::milliseconds(ms));
  timer.async_wait([this, &timer, ms, job](const boost::system::error_code& ec) {
    if (ec || stopping_) return;
    (this->*job)();
    schedule(timer, ms, job);
  });
}

// `ferry messages reprocess|resend` leave commands in the store; the engine
// runs them (now if it is running, else at the next start).
void Engine::housekeeping() {
  for (auto& ch : channels_) ch->expire_waiters();
  poll_commands();
}

void Engine::poll_commands() {
  std::vector<store::Command> commands;
  try {
    commands = store_->read([](store::Database& db) { return store::pending_commands(db, 100); });
  } catch (const std::exception& e) {
    log::error(std::string("cannot read commands: ") + e.what());
    return;
  }
  for (const auto& c : commands) {
    std::optional<store::MessageRecord> m;
    try {
      m = store_->read([&](store::Database& db) { return store::find_message(db, c.message_id); });
    } catch (const std::exception& e) {
      log::error(std::string("command ") + std::to_string(c.id) + ": " + e.what());
    }
    Channel* ch = m ? channel(m->channel) : nullptr;
    if (!m) {
      log::warn("command " + c.command + " " + std::to_string(c.message_id) + ": no such message; dropped");
    } else if (ch == nullptr) {
      log::warn("command " + c.command + " " + std::to_string(c.message_id) + ": channel " + m->channel +
                " is not running; dropped");
    } else if (c.command == "reprocess") {
      if (!m->raw) {
        log::warn("reprocess " + std::to_string(c.message_id) + ": its raw content was not kept (storage level)");
      } else {
        auto* copy = new ferry_message();
        copy->content = *m->raw;
        copy->content_type = m->content_type;
        copy->meta = m->meta;
        copy->meta.emplace_back("reprocessed_from", std::to_string(m->id));
        ch->reprocess(MessageRef(copy), c.destinations);
        log::write(log::Level::info, "host", m->channel, "reprocessing message " + std::to_string(m->id));
      }
    } else if (c.command == "resend") {
      store_->submit(store::requeue(c.message_id, c.destinations, [this, ch, id = c.message_id](bool ok, const std::string&) {
        if (!ok) return;
        boost::asio::post(io_, [ch] { ch->reload_queues(); });
        log::write(log::Level::info, "host", ch->id(), "resending message " + std::to_string(id));
      }));
    }
    store_->submit(store::delete_command(c.id));
  }
}

void Engine::run_retention() {
  for (const auto& spec : config_.channels) {
    if (spec.retention.max_age_ms == 0 && spec.retention.max_messages == 0) continue;
    const int64_t cutoff = spec.retention.max_age_ms > 0 ? store::now_ms() - spec.retention.max_age_ms : 0;
    store_->submit(store::prune(spec.id, cutoff, spec.retention.max_messages, 500,
                                [this, id = spec.id](size_t deleted) {
                                  if (deleted > 0)
                                    log::write(log::Level::debug, "host", id,
                                               "retention deleted " + std::to_string(deleted) + " message(s)");
                                  // Small batches keep traffic flowing; go on at once if there is more.
                                  if (deleted == 500 && !stopping_) boost::asio::post(io_, [this] { run_retention(); });
                                }));
  }
}

void Engine::stop() {
  if (stopped_) return;
  stopped_ = true;
  stopping_ = true;
  boost::asio::post(io_, [this] {
    commands_timer_.cancel();
    retention_timer_.cancel();
  });
  // Sources first, so nothing new comes in while the rest finishes.
  for (auto& ch : channels_) ch->stop_source();
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(config_.engine.shutdown_timeout_ms);
  for (auto& ch : channels_) ch->halt(deadline);
  for (auto& ch : channels_) ch->stop_rest();
  if (store_) store_->flush();
  for (auto& ch : channels_) {
    if (!ch->started()) continue;
    const auto& s = ch->stats();
    std::string summary = "channel stopped: received=" + std::to_string(s.received) +
                          " filtered=" + std::to_string(s.filtered) + " errored=" + std::to_string(s.errored);
    for (const auto& d : ch->destinations())
      summary += " | " + d->id() + ": sent=" + std::to_string(d->stats().sent) +
                 " filtered=" + std::to_string(d->stats().filtered) + " errored=" + std::to_string(d->stats().errored);
    log::write(log::Level::info, "host", ch->id(), summary);
  }
  work_.reset();
  io_.stop();
  for (auto& t : workers_) t.join();
  workers_.clear();
  store_.reset();  // joins the writer: no store callback runs after this
}

}  // namespace ferry::runtime
