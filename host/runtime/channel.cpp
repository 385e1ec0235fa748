#include "runtime/channel.hpp"

#include <boost/asio/post.hpp>

#include "log/log.hpp"
#include "runtime/chain.hpp"
#include "runtime/engine.hpp"
#include "runtime/instance.hpp"

namespace ferry::runtime {

namespace asio = boost::asio;

namespace {
int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}
}  // namespace

Channel::Channel(Engine& engine, const config::ChannelSpec& spec)
    : engine_(engine), spec_(spec), schedule_timer_(engine.io()) {}

Channel::~Channel() { stop_rest(); }

std::unique_ptr<ferry_instance> Channel::make_instance(const loader::Registry& registry,
                                                       const config::ComponentRef& ref,
                                                       std::string name) {
  auto inst = std::make_unique<ferry_instance>();
  inst->engine = &engine_;
  inst->channel = this;
  inst->channel_id = spec_.id;
  inst->name = std::move(name);
  inst->component = registry.find(ref.type);
  return inst;
}

bool Channel::create(const loader::Registry& registry, std::vector<std::string>& errors) {
  std::string error;
  auto build = [&](ferry_instance& inst, const config::ComponentRef& ref) {
    if (inst.component == nullptr) {
      errors.push_back(ref.path + ": unknown component type " + ref.type);
      return false;
    }
    if (!create_instance(inst, ref, error)) {
      errors.push_back(error);
      return false;
    }
    return true;
  };
  source_ = make_instance(registry, spec_.source, "source");
  if (!build(*source_, spec_.source)) return false;
  if (spec_.source.schedule) {
    scheduler_ = make_instance(registry, *spec_.source.schedule, "schedule");
    if (!build(*scheduler_, *spec_.source.schedule)) return false;
  }
  for (size_t i = 0; i < spec_.transformers.size(); ++i) {
    transformers_.push_back(make_instance(registry, spec_.transformers[i], "transformer " + std::to_string(i)));
    if (!build(*transformers_.back(), spec_.transformers[i])) return false;
  }
  for (const auto& d : spec_.destinations) {
    auto queue = std::make_unique<DestinationQueue>(engine_, d.id);
    ferry_instance& inst = queue->instance();
    inst.channel = this;
    inst.channel_id = spec_.id;
    inst.name = "destination " + d.id;
    inst.component = registry.find(d.component.type);
    DestinationQueue* q = queue.get();
    destinations_.push_back(std::move(queue));
    if (!build(inst, d.component)) return false;
    for (size_t i = 0; i < d.transformers.size(); ++i) {
      q->transformers().push_back(
          make_instance(registry, d.transformers[i], "destination " + d.id + " transformer " + std::to_string(i)));
      if (!build(*q->transformers().back(), d.transformers[i])) return false;
    }
  }
  return true;
}

bool Channel::start(std::vector<std::string>& errors) {
  std::string error;
  auto start = [&](ferry_instance& inst) {
    if (start_instance(inst, error)) return true;
    errors.push_back(error);
    return false;
  };
  for (auto& d : destinations_) {
    if (!start(d->instance())) return false;
    for (auto& t : d->transformers())
      if (!start(*t)) return false;
  }
  for (auto& t : transformers_)
    if (!start(*t)) return false;
  if (scheduler_ && !start(*scheduler_)) return false;
  if (!start(*source_)) return false;
  if (scheduler_) arm_schedule(now_ms());
  log::write(log::Level::info, "host", spec_.id,
             "channel started: " + source_->component->type + " -> " +
                 std::to_string(destinations_.size()) + " destination(s)");
  return true;
}

// The host asks the scheduler for the next fire time and polls the source
// then. A poll still running when the next time comes is not doubled.
void Channel::arm_schedule(int64_t after_ms) {
  int64_t next = 0;
  ferry_error err;
  ferry_status_t s = FERRY_ERROR;
  if (!call_plugin(*scheduler_, [&] { s = scheduler_->component->desc.next_fire(scheduler_->state, after_ms, &next, &err); }))
    return;
  if (s == FERRY_FILTERED) {
    log_for(*scheduler_, FERRY_LOG_INFO, "schedule has no further fire time");
    return;
  }
  if (s != FERRY_OK) {
    log_for(*scheduler_, FERRY_LOG_ERROR, "next_fire failed, schedule stopped: " + err.text);
    return;
  }
  if (next <= after_ms) next = after_ms + 1;  // never spin on a bad scheduler
  std::lock_guard lock(schedule_mutex_);
  if (schedule_stopped_) return;
  schedule_timer_.expires_at(std::chrono::system_clock::time_point(std::chrono::milliseconds(next)));
  schedule_timer_.async_wait([this, next](const boost::system::error_code& ec) {
    if (!ec) fire_schedule(next);
  });
}

void Channel::fire_schedule(int64_t fire_ms) {
  if (!polling_.exchange(true)) {
    asio::post(engine_.io(), [this] {
      ferry_error err;
      ferry_status_t s = FERRY_OK;
      if (source_->component->desc.poll != nullptr)
        call_plugin(*source_, [&] { s = source_->component->desc.poll(source_->state, &err); });
      if (s != FERRY_OK) log_for(*source_, FERRY_LOG_ERROR, "poll failed: " + err.text);
      polling_ = false;
    });
  } else {
    log_for(*source_, FERRY_LOG_DEBUG, "previous poll still running; this run is skipped");
  }
  // Skip fire times already past (after a long pause) rather than bursting.
  arm_schedule(std::max(fire_ms, now_ms()));
}

ferry_status_t Channel::emit(ferry_message* message, ferry_emit_done_fn done, void* user) {
  if (message == nullptr || done == nullptr) return FERRY_ERROR;
  if (in_flight_.load() >= engine_.settings().max_in_flight) return FERRY_RETRY;
  if (!source_->begin_activity()) return FERRY_STOPPING;
  ++in_flight_;
  // The source keeps its own handle untouched; the channel works on a copy.
  MessageRef copy = clone_message(*message);
  copy->id = engine_.next_message_id();
  stats_.received++;
  asio::post(engine_.io(), [this, copy = std::move(copy), done, user]() mutable {
    process(std::move(copy), done, user);
    --in_flight_;
    source_->end_activity();
  });
  return FERRY_OK;
}

void Channel::process(MessageRef message, ferry_emit_done_fn done, void* user) {
  const int64_t id = message->id;
  const ChainOutcome outcome = run_chain(transformers_, *message);
  if (outcome.status == FERRY_OK) {
    for (size_t i = 0; i < destinations_.size(); ++i)
      destinations_[i]->enqueue(i + 1 == destinations_.size() ? std::move(message) : clone_message(*message));
    done(user, FERRY_OK, id, nullptr, ferry_str_t{nullptr, 0});
    return;
  }
  const std::string text = outcome.step + ": " + outcome.reason;
  if (outcome.status == FERRY_FILTERED) {
    stats_.filtered++;
    log::write(log::Level::info, "host", spec_.id, "message " + std::to_string(id) + " filtered by " + text);
  } else {
    stats_.errored++;
    log::write(log::Level::error, "host", spec_.id, "message " + std::to_string(id) + " failed in " + text);
  }
  done(user, outcome.status, id, nullptr, ferry_str_t{text.data(), text.size()});
}

void Channel::stop_source() {
  {
    std::lock_guard lock(schedule_mutex_);
    schedule_stopped_ = true;
    schedule_timer_.cancel();
  }
  if (scheduler_) stop_instance(*scheduler_);
  if (source_) stop_instance(*source_);  // waits for in-flight emits' done()
}

bool Channel::drain(std::chrono::steady_clock::time_point deadline) {
  bool all = true;
  for (auto& d : destinations_) all = d->wait_idle(deadline) && all;
  return all;
}

void Channel::stop_rest() {
  stop_source();
  for (auto& t : transformers_) stop_instance(*t);
  for (auto& d : destinations_) {
    d->halt();
    stop_instance(d->instance());
    for (auto& t : d->transformers()) stop_instance(*t);
  }
  auto destroy = [](std::unique_ptr<ferry_instance>& inst) {
    if (inst) destroy_instance(*inst);
  };
  destroy(source_);
  destroy(scheduler_);
  for (auto& t : transformers_) destroy(t);
  for (auto& d : destinations_) {
    for (auto& t : d->transformers()) destroy(t);
    destroy_instance(d->instance());
  }
}

}  // namespace ferry::runtime
