// The running engine: worker threads, channels, and graceful stop.
#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "config/model.hpp"
#include "loader/registry.hpp"

namespace ferry::runtime {

class Channel;

class Engine {
 public:
  Engine(const config::Config& config, const loader::Registry& registry);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Create every enabled channel's instances and start them (destinations
  // and transformers first, sources last). On failure, stops what started
  // and returns false with the reasons.
  bool start(std::vector<std::string>& errors);
  // Graceful stop: sources first, drain queues (up to shutdown_timeout_ms),
  // then everything else. Idempotent.
  void stop();

  boost::asio::io_context& io() { return io_; }
  const config::EngineSpec& settings() const { return config_.engine; }
  int64_t next_message_id() { return ++last_message_id_; }
  const std::vector<std::unique_ptr<Channel>>& channels() const { return channels_; }

 private:
  const config::Config& config_;
  const loader::Registry& registry_;
  boost::asio::io_context io_;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
  std::vector<std::thread> workers_;
  std::vector<std::unique_ptr<Channel>> channels_;
  std::atomic<int64_t> last_message_id_{0};
  bool stopped_ = false;
};

}  // namespace ferry::runtime
