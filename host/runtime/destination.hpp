// One destination of a channel: its own FIFO queue (a window in memory, the
// backlog on disk), its transformers, and the send/complete/retry cycle.
// Queues of one channel run independently.
#pragma once

#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "config/model.hpp"
#include "runtime/objects.hpp"
#include "store/records.hpp"

namespace ferry::runtime {

struct DestinationStats {
  std::atomic<uint64_t> sent{0}, filtered{0}, errored{0}, retries{0};
};

class DestinationQueue {
 public:
  DestinationQueue(Engine& engine, Channel& channel, const config::DestinationSpec& spec, size_t index);
  ~DestinationQueue();

  const std::string& id() const { return spec_.id; }
  size_t index() const { return index_; }
  ferry_instance& instance() { return *instance_; }
  std::vector<std::unique_ptr<ferry_instance>>& transformers() { return transformers_; }
  const DestinationStats& stats() const { return stats_; }
  size_t in_memory() const;

  // A message committed as queued for this destination. Ids arrive in
  // increasing order; ones already loaded from the store are ignored.
  void enqueue(int64_t id, MessageRef message);
  // Forget the in-memory window and reload from the store (after `resend`).
  void reload();
  // Begin dispatching (after the plugin started).
  void open();
  // Called by the plugin through delivery_complete(), with a handle the
  // caller claimed (see claim()).
  void complete(ferry_delivery* d, ferry_status_t status, ferry_message* response, std::string_view error);

  // Plugins are untrusted: a handle is only used while it is live, so a
  // stale, repeated or invented pointer is reported instead of dereferenced.
  static bool live(const ferry_delivery* d);
  // Take a live handle out of circulation; false if it was not live. Exactly
  // one caller wins, so a double completion cannot free it twice.
  static bool claim(ferry_delivery* d);
  // Stop starting new sends; wait until the one in progress (if any) is
  // completed, or the deadline passes. Queued messages stay in the store.
  bool halt(std::chrono::steady_clock::time_point deadline);

 private:
  struct Item {
    int64_t id = 0;
    int64_t attempts = 0;
    MessageRef message;
    std::chrono::steady_clock::time_point not_before{};  // rotate: waiting out its backoff
  };
  void pump();
  void load_page_locked();
  void deliver(Item item);
  void finish(const Item& item, ferry_status_t status, std::string reason, MessageRef response);
  std::chrono::milliseconds backoff(int64_t attempts) const;

  Engine& engine_;
  Channel& channel_;
  const config::DestinationSpec& spec_;
  size_t index_;
  std::unique_ptr<ferry_instance> instance_;
  std::vector<std::unique_ptr<ferry_instance>> transformers_;
  DestinationStats stats_;

  mutable std::mutex mutex_;
  std::condition_variable idle_cv_;
  std::deque<Item> window_;
  bool spilled_ = true;      // the store holds queued messages not in window_
  int64_t loaded_upto_ = 0;  // highest id taken into window_ (or skipped as spilled)
  std::set<int64_t> unsettled_;  // finished, final status not yet committed
  bool open_ = false;
  bool busy_ = false;        // a send (or, fifo, its retry wait) is in progress
  int64_t in_progress_ = 0;  // id of the message being sent
  bool halted_ = false;
  ferry_delivery* current_ = nullptr;  // the live delivery handle, if any
  Item current_item_;
  boost::asio::steady_timer retry_timer_;
};

}  // namespace ferry::runtime
