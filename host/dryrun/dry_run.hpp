// A channel's transformers without the rest of the engine: `ferry try` and
// `ferry test` run a message through them exactly as the runtime does (same
// message object, same chain code, same order: channel transformers, then a
// copy per destination through that destination's transformers), but create
// no source and no destination, open no store and no port.
#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "config/model.hpp"
#include "dryrun/trace.hpp"
#include "loader/registry.hpp"
#include "runtime/objects.hpp"

namespace ferry::runtime {
class Engine;
}

namespace ferry::dryrun {

// The store gives every message an id before the transformers see it; a
// dry run has no store, so every message gets this one.
inline constexpr int64_t kMessageId = 1;

class DryRun {
 public:
  // config must have passed runtime::bind_components against registry (as
  // cli::prepare does); channel is one of config.channels. Both outlive this.
  DryRun(const config::Config& config, const loader::Registry& registry, const config::ChannelSpec& channel);
  ~DryRun();
  DryRun(const DryRun&) = delete;
  DryRun& operator=(const DryRun&) = delete;

  // Create, then start, the channel's transformers and every destination's
  // transformers. On failure the errors say which one and why.
  bool start(std::vector<std::string>& errors);

  Trace run(const Snapshot& input);

 private:
  // Each transformer is kept as a chain of one, so the message can be
  // recorded between steps while runtime::run_chain still makes every call
  // (stopping at the first step that does not answer OK, as a whole chain does).
  using Chain = std::vector<std::unique_ptr<ferry_instance>>;

  Chain make_step(const config::ComponentRef& ref, std::string name);
  Outcome run_steps(const std::vector<Chain>& steps, ferry_message& m, std::vector<Step>& out);

  const loader::Registry& registry_;
  const config::ChannelSpec& channel_;
  // Never started (no store, no channels): it only lends its io_context, run
  // by io_thread_, to plugins that start timers or post work.
  std::unique_ptr<runtime::Engine> engine_;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
  std::thread io_thread_;
  std::vector<Chain> channel_steps_;
  std::vector<std::vector<Chain>> destination_steps_;  // config order
};

}  // namespace ferry::dryrun
