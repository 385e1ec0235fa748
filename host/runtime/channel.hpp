// A channel: one source, a transformer chain, and destinations with their own
// queues, all through the durable store:
//   emit -> source transformers (in order, one message at a time per channel)
//        -> commit the message, their outcome and its queued deliveries in one
//           write (group commit) -> [answer if when=stored or transformed]
//        -> destination queues -> [answer after first attempts if when=delivered]
// Messages an older version stored as "received" before transforming them
// are transformed at start (transform_stored).
#pragma once

#include <boost/asio/strand.hpp>
#include <boost/asio/system_timer.hpp>

#include <atomic>
#include <map>
#include <set>
#include <unordered_map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/model.hpp"
#include "loader/registry.hpp"
#include "runtime/chain.hpp"
#include "runtime/destination.hpp"
#include "runtime/objects.hpp"
#include "store/records.hpp"

namespace ferry::runtime {

struct ChannelStats {
  std::atomic<uint64_t> received{0}, filtered{0}, errored{0};
};

class Channel {
 public:
  Channel(Engine& engine, const config::ChannelSpec& spec);
  ~Channel();

  const std::string& id() const { return spec_.id; }
  const ChannelStats& stats() const { return stats_; }
  const std::vector<std::unique_ptr<DestinationQueue>>& destinations() const { return destinations_; }
  store::Level storage_level() const;
  ferry_instance* source() const { return source_.get(); }

  // Create every instance (config already validated against the registry).
  bool create(const loader::Registry& registry, std::vector<std::string>& errors);
  // Start destinations and transformers, resume what a previous run left in
  // the store, then start the source and its schedule.
  bool start(std::vector<std::string>& errors);
  // Stop the source (and its schedule) once every emit was answered, and
  // wait until messages already taken reached their queues.
  void stop_source();
  // Stop sending; wait (until the deadline) for sends in progress.
  void halt(std::chrono::steady_clock::time_point deadline);
  // Stop and destroy everything else.
  void stop_rest();

  // ferry_host_api_t.emit for this channel's source.
  ferry_status_t emit(ferry_message* message, ferry_emit_done_fn done, void* user);
  // Run a stored message's raw content through the channel again as a new
  // message (only to `only` destinations, if not empty).
  void reprocess(MessageRef message, std::vector<std::string> only);
  // A destination is done with a message (sent, filtered or failed for good).
  void delivery_finished(int64_t id, size_t destination, ferry_status_t status, const MessageRef& response,
                         const std::string& reason);
  // when=delivered: answer sources that waited longer than response.timeout_ms.
  void expire_waiters();
  bool started() const { return started_; }
  // The store changed deliveries behind the queues' back (`messages resend`).
  void reload_queues();

 private:
  struct Pending;
  struct Received {
    std::string content, content_type;
  };
  void admit(const std::shared_ptr<Pending>& p);
  void transform_new(const std::shared_ptr<Pending>& p);
  void store_new(const std::shared_ptr<Pending>& p, const ChainOutcome& outcome, std::optional<Received> raw);
  void pipeline_done();
  void count_received(Pending& p);
  std::vector<size_t> targets_for(const Pending& p) const;
  void route(const std::shared_ptr<Pending>& p, ferry_status_t status, const std::string& text,
             const std::vector<size_t>& targets);
  void transform_stored(const std::shared_ptr<Pending>& p);
  void respond(Pending& p, ferry_status_t status, const std::string& error, const MessageRef& response = {});
  void recover();
  int64_t schedule_resume_point();
  void arm_schedule(int64_t after_ms);
  void fire_schedule(int64_t fire_ms);
  std::unique_ptr<ferry_instance> make_instance(const loader::Registry& registry, const config::ComponentRef& ref,
                                                std::string name);

  Engine& engine_;
  const config::ChannelSpec& spec_;
  boost::asio::strand<boost::asio::io_context::executor_type> strand_;  // source transformers, in order
  std::unique_ptr<ferry_instance> source_;
  std::unique_ptr<ferry_instance> scheduler_;
  std::vector<std::unique_ptr<ferry_instance>> transformers_;
  std::vector<std::unique_ptr<DestinationQueue>> destinations_;
  ChannelStats stats_;
  std::atomic<int64_t> in_flight_{0};

  // Messages between the store and their queues; stop waits for zero.
  std::mutex pipeline_mutex_;
  std::condition_variable pipeline_cv_;
  int64_t pipeline_ = 0;

  // Emits not answered yet: at a stop that cannot wait any longer (a store
  // that keeps failing), they are answered from here.
  std::mutex unanswered_mutex_;
  std::unordered_map<const Pending*, std::shared_ptr<Pending>> unanswered_;

  // when=delivered: messages waiting for their destinations.
  std::mutex waiters_mutex_;
  std::map<int64_t, std::shared_ptr<Pending>> waiters_;
  bool releasing_waiters_ = false;
  bool started_ = false;

  std::mutex schedule_mutex_;
  boost::asio::system_timer schedule_timer_;
  bool schedule_stopped_ = false;
  std::atomic<bool> polling_{false};
};

}  // namespace ferry::runtime
