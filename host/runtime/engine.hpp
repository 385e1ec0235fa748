// The running engine: the store, worker threads, channels, background jobs
// (CLI commands, retention), and graceful stop.
#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "config/model.hpp"
#include "loader/registry.hpp"
#include "store/store.hpp"

namespace ferry::runtime {

class Channel;

class Engine {
 public:
  Engine(const config::Config& config, const loader::Registry& registry);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Open the store, create every enabled channel's instances and start them
  // (destinations and transformers first, sources last), resuming what the
  // store holds. On failure, stops what started and returns false.
  bool start(std::vector<std::string>& errors);
  // Graceful stop: sources first (every emit answered, taken messages
  // queued), sends in progress finished (up to shutdown_timeout_ms), then
  // everything else; the store is flushed and closed. Idempotent.
  void stop();

  boost::asio::io_context& io() { return io_; }
  store::Store& store() { return *store_; }
  const config::EngineSpec& settings() const { return config_.engine; }
  const std::vector<std::unique_ptr<Channel>>& channels() const { return channels_; }
  Channel* channel(const std::string& id) const;

  static std::filesystem::path store_file(const config::EngineSpec& engine) {
    return engine.data_dir / "ferry.db";
  }

 private:
  void housekeeping();  // every command_poll_ms: CLI commands, response timeouts
  void poll_commands();
  void run_retention();
  void schedule(boost::asio::steady_timer& timer, int64_t ms, void (Engine::*job)());

  const config::Config& config_;
  const loader::Registry& registry_;
  boost::asio::io_context io_;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
  std::vector<std::thread> workers_;
  std::unique_ptr<store::Store> store_;
  std::vector<std::unique_ptr<Channel>> channels_;
  boost::asio::steady_timer commands_timer_{io_};
  boost::asio::steady_timer retention_timer_{io_};
  std::atomic<bool> stopping_{false};
  bool stopped_ = false;
};

}  // namespace ferry::runtime
