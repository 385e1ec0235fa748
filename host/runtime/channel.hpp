// A channel: one source, a transformer chain, and destinations with their own
// queues. This is the in-memory runtime; the durable store plugs in between
// emit() and the destination queues.
#pragma once

#include <boost/asio/system_timer.hpp>

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "config/model.hpp"
#include "loader/registry.hpp"
#include "runtime/destination.hpp"
#include "runtime/objects.hpp"

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

  // Create every instance (config already validated against the registry).
  bool create(const loader::Registry& registry, std::vector<std::string>& errors);
  // Start destinations and transformers, then the source and its schedule.
  bool start(std::vector<std::string>& errors);
  // Stop the source (and its schedule) after its in-flight emits completed.
  void stop_source();
  // Wait for destination queues to drain; false if the deadline passed.
  bool drain(std::chrono::steady_clock::time_point deadline);
  // Stop and destroy everything else.
  void stop_rest();

  // ferry_host_api_t.emit for this channel's source.
  ferry_status_t emit(ferry_message* message, ferry_emit_done_fn done, void* user);

 private:
  void process(MessageRef message, ferry_emit_done_fn done, void* user);
  void arm_schedule(int64_t after_ms);
  void fire_schedule(int64_t fire_ms);
  std::unique_ptr<ferry_instance> make_instance(const loader::Registry& registry,
                                                const config::ComponentRef& ref, std::string name);

  Engine& engine_;
  const config::ChannelSpec& spec_;
  std::unique_ptr<ferry_instance> source_;
  std::unique_ptr<ferry_instance> scheduler_;
  std::vector<std::unique_ptr<ferry_instance>> transformers_;
  std::vector<std::unique_ptr<DestinationQueue>> destinations_;
  ChannelStats stats_;
  std::atomic<int64_t> in_flight_{0};

  std::mutex schedule_mutex_;
  boost::asio::system_timer schedule_timer_;
  bool schedule_stopped_ = false;
  std::atomic<bool> polling_{false};
};

}  // namespace ferry::runtime
