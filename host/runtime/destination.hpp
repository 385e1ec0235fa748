// One destination of a channel: its own FIFO queue, its transformers, and the
// send/complete/retry cycle. Queues of one channel run independently.
#pragma once

#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "runtime/objects.hpp"

namespace ferry::runtime {

struct DestinationStats {
  std::atomic<uint64_t> sent{0}, filtered{0}, errored{0}, retries{0};
};

class DestinationQueue {
 public:
  DestinationQueue(Engine& engine, std::string id);
  ~DestinationQueue();

  const std::string& id() const { return id_; }
  ferry_instance& instance() { return *instance_; }
  std::vector<std::unique_ptr<ferry_instance>>& transformers() { return transformers_; }
  const DestinationStats& stats() const { return stats_; }
  size_t queued() const;

  void enqueue(MessageRef message);
  // Called by the plugin through delivery_complete().
  void complete(ferry_delivery* d, ferry_status_t status, ferry_message* response,
                std::string_view error);
  // Wait until the queue is empty and idle, or the deadline passes.
  bool wait_idle(std::chrono::steady_clock::time_point deadline);
  // Stop dispatching (retry timer cancelled); queued messages stay queued.
  void halt();

 private:
  void pump();
  void deliver(MessageRef message);
  void finish(ferry_status_t status, std::string_view reason);

  Engine& engine_;
  std::string id_;
  std::unique_ptr<ferry_instance> instance_;
  std::vector<std::unique_ptr<ferry_instance>> transformers_;
  DestinationStats stats_;

  mutable std::mutex mutex_;
  std::condition_variable idle_cv_;
  std::deque<MessageRef> queue_;
  bool busy_ = false;
  bool halted_ = false;
  uint32_t attempts_ = 0;
  boost::asio::steady_timer retry_timer_;
};

}  // namespace ferry::runtime
