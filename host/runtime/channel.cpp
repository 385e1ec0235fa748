#include "runtime/channel.hpp"

#include <boost/asio/post.hpp>

#include "log/log.hpp"
#include "runtime/chain.hpp"
#include "runtime/engine.hpp"
#include "runtime/instance.hpp"

namespace ferry::runtime {

namespace asio = boost::asio;

// One message on its way from the store to the destination queues, and the
// source's completion if a source is waiting for an answer.
struct Channel::Pending {
  MessageRef message;
  ferry_emit_done_fn done = nullptr;  // null for recovered and reprocessed messages
  void* user = nullptr;
  std::atomic<bool> responded{false};
  std::atomic<bool> stored{false};  // the message is committed
  std::vector<std::string> only;  // reprocess: these destinations only
  std::optional<std::string> dedupe_key;  // as the source emitted it

  // when=delivered: destinations still awaited, and what they said.
  std::mutex mutex;
  std::chrono::steady_clock::time_point deadline;
  size_t remaining = 0;
  ferry_status_t worst = FERRY_OK;
  std::string errors;
  MessageRef response;
};

namespace {
int64_t now_ms() { return store::now_ms(); }

std::string status_word(ferry_status_t s) {
  return s == FERRY_OK ? "transformed" : s == FERRY_FILTERED ? "filtered" : "error";
}
}  // namespace

Channel::Channel(Engine& engine, const config::ChannelSpec& spec)
    : engine_(engine), spec_(spec), strand_(asio::make_strand(engine.io())), schedule_timer_(engine.io()) {}

Channel::~Channel() { stop_rest(); }

store::Level Channel::storage_level() const {
  switch (spec_.storage) {
    case config::StorageLevel::raw: return store::Level::raw;
    case config::StorageLevel::metadata: return store::Level::metadata;
    default: return store::Level::all;
  }
}

std::unique_ptr<ferry_instance> Channel::make_instance(const loader::Registry& registry,
                                                       const config::ComponentRef& ref, std::string name) {
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
  for (size_t i = 0; i < spec_.destinations.size(); ++i) {
    const auto& d = spec_.destinations[i];
    destinations_.push_back(std::make_unique<DestinationQueue>(engine_, *this, d, i));
    DestinationQueue& q = *destinations_.back();
    q.instance().component = registry.find(d.component.type);
    if (!build(q.instance(), d.component)) return false;
    for (size_t t = 0; t < d.transformers.size(); ++t) {
      q.transformers().push_back(
          make_instance(registry, d.transformers[t], "destination " + d.id + " transformer " + std::to_string(t)));
      if (!build(*q.transformers().back(), d.transformers[t])) return false;
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
  recover();
  for (auto& d : destinations_) d->open();  // resumes the backlog left in the store
  if (!start(*source_)) return false;
  if (scheduler_) arm_schedule(schedule_resume_point());
  started_ = true;
  log::write(log::Level::info, "host", spec_.id,
             "channel started: " + source_->component->type + " -> " + std::to_string(destinations_.size()) +
                 " destination(s)");
  return true;
}

// Messages a previous run stored but did not get through the source
// transformers (it crashed in between) are processed again, in order.
void Channel::recover() {
  int64_t after = 0;
  size_t count = 0;
  for (;;) {
    std::vector<store::QueuedMessage> rows;
    try {
      rows = engine_.store().read(
          [&](store::Database& db) { return store::load_received(db, spec_.id, after, 1000); });
    } catch (const std::exception& e) {
      log::write(log::Level::error, "host", spec_.id, std::string("cannot read unfinished messages: ") + e.what());
      return;
    }
    for (auto& r : rows) {
      auto p = std::make_shared<Pending>();
      auto* m = new ferry_message();
      m->id = r.id;
      m->content = std::move(r.content);
      m->content_type = std::move(r.content_type);
      m->meta = std::move(r.meta);
      p->message = MessageRef(m);
      {
        std::lock_guard lock(pipeline_mutex_);
        ++pipeline_;
      }
      asio::post(strand_, [this, p] { transform_stored(p); });
      after = r.id;
      ++count;
    }
    if (rows.size() < 1000) break;
  }
  if (count > 0)
    log::write(log::Level::info, "host", spec_.id,
               "resuming " + std::to_string(count) + " message(s) stored before the last stop");
}

// The scheduler's first question after a start is "what comes after the last
// time you fired", even if that was before a stop: a time already past is a
// run missed while the engine was down, and the scheduler decides whether it
// still happens (it fires at once) or is skipped (it answers a later time).
int64_t Channel::schedule_resume_point() {
  try {
    if (auto last = engine_.store().read([&](store::Database& db) { return store::last_fire(db, spec_.id); }))
      return *last;
  } catch (const std::exception& e) {
    log::write(log::Level::warn, "host", spec_.id, std::string("cannot read the schedule's last fire time: ") + e.what());
  }
  return now_ms();
}

// The host asks the scheduler for the next fire time and polls the source
// then. A poll still running when the next time comes is not doubled.
void Channel::arm_schedule(int64_t after_ms) {
  int64_t next = 0;
  ferry_error err;
  ferry_status_t s = FERRY_ERROR;
  if (!call_plugin(*scheduler_,
                   [&] { s = scheduler_->component->desc.next_fire(scheduler_->state, after_ms, &next, &err); }))
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
  // The time it actually ran: a run_once catch-up must not look missed again
  // after a quick second restart.
  engine_.store().submit(store::record_fire(spec_.id, std::max(fire_ms, now_ms())));
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
  if (in_flight_.fetch_add(1) >= engine_.settings().max_in_flight) {
    --in_flight_;
    return FERRY_RETRY;
  }
  if (!source_->begin_activity()) {
    --in_flight_;
    return FERRY_STOPPING;
  }
  auto p = std::make_shared<Pending>();
  p->message = clone_message(*message);  // the source's own handle stays untouched
  p->message->id = 0;  // e.g. a message another channel stored: a new one here
  p->done = done;
  p->user = user;
  {
    std::lock_guard lock(unanswered_mutex_);
    unanswered_.emplace(p.get(), p);
  }
  admit(p);
  return FERRY_OK;
}

void Channel::reprocess(MessageRef message, std::vector<std::string> only) {
  auto p = std::make_shared<Pending>();
  p->message = std::move(message);
  p->message->id = 0;
  p->only = std::move(only);
  admit(p);
}

// Commit the message; only then is it "taken". A channel with transformers
// runs them first (on its strand, in arrival order), so the message, their
// outcome and its deliveries are one write, and the message one row write.
void Channel::admit(const std::shared_ptr<Pending>& p) {
  {
    std::lock_guard lock(pipeline_mutex_);
    ++pipeline_;
  }
  // Only what a source emits is deduplicated: a reprocessed copy is new on
  // purpose. The key is the one the source set, whatever transformers do.
  if (p->done != nullptr)
    for (const auto& [key, value] : p->message->meta)
      if (key == store::kDedupeKey && !value.empty()) p->dedupe_key = value;
  if (transformers_.empty()) store_new(p, {}, std::nullopt);
  else asio::post(strand_, [this, p] { transform_new(p); });
}

// On the strand: the transformers, then the one write. The id is reserved
// first, so transformers see the id the message is stored under; the strand
// keeps a channel's ids in write order, as its queues need.
void Channel::transform_new(const std::shared_ptr<Pending>& p) {
  p->message->id = engine_.store().reserve_message_id();
  Received raw{p->message->content, p->message->content_type};
  const ChainOutcome outcome = run_chain(transformers_, *p->message);
  if (outcome.status == FERRY_RETRY) {  // stopping: nothing stored, so nothing taken
    if (p->done == nullptr) log::write(log::Level::error, "host", spec_.id, "reprocess not done: the channel is stopping");
    respond(*p, FERRY_RETRY, "engine stopping; send again later");
    pipeline_done();
    return;
  }
  store_new(p, outcome, std::move(raw));
}

// p->message is what the transformers made of `raw` (nullopt: no
// transformers, it is the received message itself).
void Channel::store_new(const std::shared_ptr<Pending>& p, const ChainOutcome& outcome, std::optional<Received> raw) {
  const ferry_message& msg = *p->message;
  store::NewMessage m;
  m.id = msg.id;  // reserved for the transformers, or 0: given at the write
  m.channel = spec_.id;
  m.meta = msg.meta;
  m.dedupe_key = p->dedupe_key;
  m.routed = true;
  m.status = status_word(outcome.status);
  if (outcome.status != FERRY_OK) m.error = outcome.step + ": " + outcome.reason;
  if (raw) {
    if (outcome.status == FERRY_OK && (raw->content != msg.content || raw->content_type != msg.content_type)) {
      m.transformed = msg.content;
      m.transformed_type = msg.content_type;
    }
    m.content = std::move(raw->content);
    m.content_type = std::move(raw->content_type);
  } else {
    m.content = msg.content;
    m.content_type = msg.content_type;
  }
  std::vector<size_t> targets;
  if (outcome.status == FERRY_OK) targets = targets_for(*p);
  m.level = storage_level();
  for (size_t i : targets) m.destinations.push_back(destinations_[i]->id());
  const std::string text = m.error;
  const bool accepted = engine_.store().submit(store::insert_message(
      std::move(m), [this, p, status = outcome.status, text, targets](const store::Inserted& r) {
        if (!r.ok) {
          asio::post(engine_.io(), [this, p, error = r.error] {
            respond(*p, FERRY_RETRY, "store unavailable: " + error);
            pipeline_done();
          });
          return;
        }
        p->message->id = r.id;
        if (r.duplicate) {
          asio::post(engine_.io(), [this, p] {
            engine_.store().add_stat(spec_.id, "", "duplicates", 1);
            log::write(log::Level::info, "host", spec_.id,
                       "duplicate of message " + std::to_string(p->message->id) + " not stored again");
            respond(*p, FERRY_OK, "duplicate of message " + std::to_string(p->message->id));
            pipeline_done();
          });
          return;
        }
        p->stored = true;
        // Commit order is arrival order; the strand keeps it for the queues.
        asio::post(strand_, [this, p, status, text, targets] {
          count_received(*p);
          route(p, status, text, targets);
        });
      }));
  if (!accepted) {
    const std::string why = engine_.store().healthy() ? std::string("store is busy (backpressure)")
                                                      : "store unavailable: " + engine_.store().last_error();
    asio::post(engine_.io(), [this, p, why] {
      if (p->done == nullptr) log::write(log::Level::error, "host", spec_.id, "reprocess refused: " + why);
      respond(*p, FERRY_RETRY, why);
      pipeline_done();
    });
  }
}

void Channel::count_received(Pending& p) {
  stats_.received++;
  engine_.store().add_stat(spec_.id, "", "received", 1);
  if (spec_.response.when == config::RespondWhen::stored) respond(p, FERRY_OK, {});
}

// The destinations a message goes to: all, or those a reprocess names.
std::vector<size_t> Channel::targets_for(const Pending& p) const {
  std::vector<size_t> targets;
  for (size_t i = 0; i < destinations_.size(); ++i)
    if (p.only.empty() || std::find(p.only.begin(), p.only.end(), destinations_[i]->id()) != p.only.end())
      targets.push_back(i);
  return targets;
}

// On the channel's strand: a message a previous run stored as received but
// did not transform (it stopped in between), and answers nobody.
void Channel::transform_stored(const std::shared_ptr<Pending>& p) {
  const int64_t id = p->message->id;
  const ChainOutcome outcome = run_chain(transformers_, *p->message);
  if (outcome.status == FERRY_RETRY) {  // stopping: stays "received", resumed at next start
    respond(*p, FERRY_OK, {});
    pipeline_done();
    return;
  }
  std::vector<size_t> targets;
  if (outcome.status == FERRY_OK) targets = targets_for(*p);

  store::TransformResult r;
  r.id = id;
  r.channel = spec_.id;
  r.status = status_word(outcome.status);
  r.content = p->message->content;
  r.content_type = p->message->content_type;
  r.meta = p->message->meta;
  r.error = outcome.status == FERRY_OK ? std::string() : outcome.step + ": " + outcome.reason;
  for (size_t i : targets) r.destinations.push_back(destinations_[i]->id());
  r.level = storage_level();

  const std::string text = r.error;
  const ferry_status_t status = outcome.status;
  // Status writes complete only once committed (the store retries them).
  engine_.store().submit(store::record_transform(std::move(r), [this, p, status, text, targets](bool, const std::string&) {
    // Commit order is transform order; the strand keeps it for the queues.
    asio::post(strand_, [this, p, status, text, targets] { route(p, status, text, targets); });
  }));
}

// The transformers' outcome is committed: queue the message for its
// destinations and answer the source. On the strand, in commit order.
void Channel::route(const std::shared_ptr<Pending>& p, ferry_status_t status, const std::string& text,
                    const std::vector<size_t>& targets) {
  const int64_t id = p->message->id;
  if (status == FERRY_OK) {
    bool answer_now = spec_.response.when != config::RespondWhen::delivered || p->done == nullptr || targets.empty();
    if (!answer_now) {
      // Registered before the first enqueue, so no delivery can finish unseen.
      std::lock_guard lock(waiters_mutex_);
      if (releasing_waiters_) {  // stopping: nobody will wait for deliveries
        answer_now = true;
      } else {
        p->remaining = targets.size();
        p->deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(spec_.response.timeout_ms);
        waiters_[id] = p;
      }
    }
    for (size_t n = 0; n < targets.size(); ++n)
      destinations_[targets[n]]->enqueue(id, n + 1 == targets.size() ? p->message : clone_message(*p->message));
    if (answer_now) respond(*p, FERRY_OK, {});  // a no-op if already answered
  } else {
    const bool filtered = status == FERRY_FILTERED;
    (filtered ? stats_.filtered : stats_.errored)++;
    engine_.store().add_stat(spec_.id, "", filtered ? "filtered" : "errored", 1);
    log::write(filtered ? log::Level::info : log::Level::error, "host", spec_.id,
               "message " + std::to_string(id) + (filtered ? " filtered by " : " failed in ") + text);
    respond(*p, status, text);
  }
  pipeline_done();
}

void Channel::pipeline_done() {
  std::lock_guard lock(pipeline_mutex_);
  if (--pipeline_ == 0) pipeline_cv_.notify_all();
}

void Channel::delivery_finished(int64_t id, size_t destination, ferry_status_t status, const MessageRef& response,
                                const std::string& reason) {
  if (spec_.response.when != config::RespondWhen::delivered) return;
  std::shared_ptr<Pending> p;
  {
    std::lock_guard lock(waiters_mutex_);
    auto it = waiters_.find(id);
    if (it == waiters_.end()) return;
    p = it->second;
    std::lock_guard plock(p->mutex);
    const auto& dest_id = destinations_[destination]->id();
    if (status != FERRY_OK && status != FERRY_FILTERED) {
      p->worst = FERRY_ERROR;
      p->errors += (p->errors.empty() ? "" : "; ") + dest_id + ": " + reason;
    }
    if (dest_id == spec_.response.from) p->response = response;
    if (--p->remaining > 0) return;
    waiters_.erase(it);
  }
  respond(*p, p->worst, p->errors, p->response);
}

void Channel::expire_waiters() {
  if (spec_.response.when != config::RespondWhen::delivered) return;
  const auto now = std::chrono::steady_clock::now();
  std::vector<std::shared_ptr<Pending>> late;
  {
    std::lock_guard lock(waiters_mutex_);
    for (auto it = waiters_.begin(); it != waiters_.end();) {
      if (it->second->deadline <= now) {
        late.push_back(it->second);
        it = waiters_.erase(it);
      } else {
        ++it;
      }
    }
  }
  // Stored and still queued: "OK" keeps the peer from sending it again.
  for (auto& p : late) respond(*p, FERRY_OK, "stored; delivery still pending after response.timeout_ms");
}

void Channel::respond(Pending& p, ferry_status_t status, const std::string& error, const MessageRef& response) {
  if (p.done == nullptr || p.responded.exchange(true)) return;
  {
    std::lock_guard lock(unanswered_mutex_);
    unanswered_.erase(&p);
  }
  p.done(p.user, status, p.message->id, response.get(), ferry_str_t{error.data(), error.size()});
  --in_flight_;
  source_->end_activity();
}

void Channel::reload_queues() {
  for (auto& d : destinations_) d->reload();
}

void Channel::stop_source() {
  {
    std::lock_guard lock(schedule_mutex_);
    if (schedule_stopped_) return;
    schedule_stopped_ = true;
    schedule_timer_.cancel();
  }
  if (!source_) return;
  {
    std::lock_guard lock(source_->activity_mutex);
    source_->closing = true;  // no new emits from here on
  }
  // Sources waiting for deliveries are answered now: their messages are
  // stored, and delivery resumes after a restart.
  std::map<int64_t, std::shared_ptr<Pending>> waiting;
  {
    std::lock_guard lock(waiters_mutex_);
    releasing_waiters_ = true;
    waiting.swap(waiters_);
  }
  for (auto& [id, p] : waiting) respond(*p, FERRY_OK, "stored; delivery continues after restart");
  if (scheduler_) stop_instance(*scheduler_);
  // Messages already taken reach their queues, unless the store stays
  // unwritable past the shutdown deadline: then they are answered from what
  // is known (stored or not) and resume from the store after a restart.
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(engine_.settings().shutdown_timeout_ms);
  bool drained = false;
  {
    std::unique_lock lock(pipeline_mutex_);
    drained = pipeline_cv_.wait_until(lock, deadline, [&] { return pipeline_ == 0; });
  }
  if (!drained) {
    log::write(log::Level::warn, "host", spec_.id,
               "the store did not finish in time; unfinished messages resume after restart");
    std::vector<std::shared_ptr<Pending>> left;
    {
      std::lock_guard lock(unanswered_mutex_);
      for (const auto& [key, p] : unanswered_) left.push_back(p);
    }
    for (const auto& p : left)
      respond(*p, p->stored ? FERRY_OK : FERRY_RETRY,
              p->stored ? "stored; processing continues after restart" : "engine stopping; send again later");
  }
  stop_instance(*source_);  // every emit is answered by now
}

void Channel::halt(std::chrono::steady_clock::time_point deadline) {
  for (auto& d : destinations_) {
    if (!d->halt(deadline))
      log_for(d->instance(), FERRY_LOG_WARN, "a send was still in progress at the shutdown deadline");
  }
}

void Channel::stop_rest() {
  stop_source();
  halt(std::chrono::steady_clock::now());
  for (auto& t : transformers_) stop_instance(*t);
  for (auto& d : destinations_) {
    stop_instance(d->instance());  // the plugin completes what it still holds
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
