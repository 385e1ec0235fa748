#include "runtime/destination.hpp"

#include <boost/asio/post.hpp>

#include <algorithm>
#include <cmath>
#include <random>
#include <unordered_set>

#include "log/log.hpp"
#include "runtime/chain.hpp"
#include "runtime/channel.hpp"
#include "runtime/engine.hpp"
#include "runtime/instance.hpp"

namespace ferry::runtime {

namespace asio = boost::asio;

namespace {
std::mutex g_live_mutex;
std::unordered_set<const ferry_delivery*> g_live;

ferry_delivery* new_delivery(DestinationQueue* q, ferry_message* m) {
  auto* d = new ferry_delivery{q, m};
  std::lock_guard lock(g_live_mutex);
  g_live.insert(d);
  return d;
}
void free_delivery(ferry_delivery* d) {
  MessageRef::release(d->message);
  delete d;
}
void end_delivery(ferry_delivery* d) {
  if (DestinationQueue::claim(d)) free_delivery(d);
}
}  // namespace

bool DestinationQueue::live(const ferry_delivery* d) {
  std::lock_guard lock(g_live_mutex);
  return g_live.count(d) != 0;
}

bool DestinationQueue::claim(ferry_delivery* d) {
  std::lock_guard lock(g_live_mutex);
  return g_live.erase(d) != 0;
}

DestinationQueue::DestinationQueue(Engine& engine, Channel& channel, const config::DestinationSpec& spec,
                                   size_t index)
    : engine_(engine),
      channel_(channel),
      spec_(spec),
      index_(index),
      instance_(std::make_unique<ferry_instance>()),
      retry_timer_(engine.io()) {
  instance_->engine = &engine;
  instance_->channel = &channel;
  instance_->destination = this;
  instance_->channel_id = channel.id();
  instance_->name = "destination " + spec.id;
}

DestinationQueue::~DestinationQueue() {
  if (current_ != nullptr) end_delivery(current_);  // never completed: its message stays queued in the store
}

size_t DestinationQueue::in_memory() const {
  std::lock_guard lock(mutex_);
  return window_.size();
}

void DestinationQueue::open() {
  {
    std::lock_guard lock(mutex_);
    open_ = true;
  }
  pump();
}

void DestinationQueue::enqueue(int64_t id, MessageRef message) {
  {
    std::lock_guard lock(mutex_);
    if (id <= loaded_upto_) return;  // already taken from the store
    if (!spilled_ && window_.size() < static_cast<size_t>(engine_.settings().queue_window)) {
      window_.push_back({id, 0, std::move(message), {}});
      loaded_upto_ = id;
    } else {
      spilled_ = true;  // it waits on disk; pages are loaded as the window empties
    }
  }
  pump();
}

void DestinationQueue::reload() {
  {
    std::lock_guard lock(mutex_);
    // Keep the head if it is being sent; everything else is in the store.
    std::deque<Item> keep;
    for (auto& item : window_)
      if (busy_ && item.id == in_progress_) keep.push_back(item);
    window_.swap(keep);
    spilled_ = true;
    loaded_upto_ = 0;
  }
  pump();
}

// Called with mutex_ held, when the window has room and the store has more.
void DestinationQueue::load_page_locked() {
  const size_t window = static_cast<size_t>(engine_.settings().queue_window);
  if (window_.size() >= window) return;
  const size_t cap = window - window_.size();
  std::vector<store::QueuedMessage> rows;
  try {
    rows = engine_.store().read(
        [&](store::Database& db) { return store::load_queue(db, channel_.id(), spec_.id, loaded_upto_, cap); });
  } catch (const std::exception& e) {
    log_for(*instance_, FERRY_LOG_ERROR, std::string("cannot load the queue from the store: ") + e.what());
    return;  // retried on the next pump
  }
  for (auto& r : rows) {
    if (unsettled_.count(r.id) || (busy_ && r.id == in_progress_)) continue;
    auto* m = new ferry_message();
    m->id = r.id;
    m->content = std::move(r.content);
    m->content_type = std::move(r.content_type);
    m->meta = std::move(r.meta);
    window_.push_back({r.id, r.attempts, MessageRef(m), {}});
  }
  if (!rows.empty()) loaded_upto_ = std::max(loaded_upto_, rows.back().id);
  if (rows.size() < cap) spilled_ = false;
}

// Start the next message if nothing is in progress, one at a time: the head
// (fifo), or the first one not waiting out a backoff (rotate).
void DestinationQueue::pump() {
  Item head;
  {
    std::lock_guard lock(mutex_);
    if (!open_ || busy_ || halted_) return;
    if (spilled_ && (window_.empty() || spec_.rotate)) load_page_locked();
    if (window_.empty()) {
      idle_cv_.notify_all();
      return;
    }
    auto it = window_.begin();
    if (spec_.rotate) {
      const auto now = std::chrono::steady_clock::now();
      auto soonest = window_.begin();
      for (it = window_.begin(); it != window_.end() && it->not_before > now; ++it)
        if (it->not_before < soonest->not_before) soonest = it;
      if (it == window_.end()) {  // everything is backing off: wake at the first
        retry_timer_.expires_at(soonest->not_before);
        retry_timer_.async_wait([this](const boost::system::error_code& ec) {
          if (!ec) pump();
        });
        return;
      }
    }
    busy_ = true;
    in_progress_ = it->id;
    head = *it;
  }
  asio::post(engine_.io(), [this, head = std::move(head)]() mutable { deliver(std::move(head)); });
}

void DestinationQueue::deliver(Item item) {
  // Transformers work on a copy: a retry starts again from the stored content.
  MessageRef work = clone_message(*item.message);
  const ChainOutcome outcome = run_chain(transformers_, *work);
  if (outcome.status == FERRY_RETRY) {  // a transformer is stopping: leave it queued
    std::lock_guard lock(mutex_);
    busy_ = false;
    idle_cv_.notify_all();
    return;
  }
  if (outcome.status != FERRY_OK) {
    finish(item, outcome.status, outcome.step + ": " + outcome.reason, {});
    return;
  }
  ferry_delivery* d = nullptr;
  {
    std::lock_guard lock(mutex_);
    if (halted_) {  // stopping: it stays queued
      busy_ = false;
      idle_cv_.notify_all();
      return;
    }
    d = new_delivery(this, work.detach());
    current_ = d;
    current_item_ = item;
  }
  const bool called = call_plugin(*instance_, [&] { instance_->component->desc.send(instance_->state, d); });
  if (!called) {  // stopping: the message stays queued
    std::lock_guard lock(mutex_);
    if (current_ == d) {
      current_ = nullptr;
      end_delivery(d);
    }
    busy_ = false;
    idle_cv_.notify_all();
  }
}

void DestinationQueue::complete(ferry_delivery* d, ferry_status_t status, ferry_message* response,
                                std::string_view error) {
  Item item;
  {
    std::lock_guard lock(mutex_);
    // Plugins are untrusted: a stale or repeated handle is reported, not used.
    if (d != current_) {  // cannot happen for a claimed handle; kept as a guard
      log_for(*instance_, FERRY_LOG_ERROR, "delivery_complete() on a delivery that is not in progress; ignored");
      free_delivery(d);
      return;
    }
    current_ = nullptr;
    item = current_item_;
  }
  free_delivery(d);
  if (response != nullptr) response->refs.fetch_add(1, std::memory_order_relaxed);
  finish(item, status, std::string(error), MessageRef(response));
}

std::chrono::milliseconds DestinationQueue::backoff(int64_t attempts) const {
  const auto& r = spec_.retry;
  double wait = static_cast<double>(r.initial_ms);
  if (r.exponential) wait = std::min(static_cast<double>(r.max_ms), wait * std::pow(2.0, static_cast<double>(attempts - 1)));
  if (r.jitter > 0) {
    thread_local std::mt19937 rng{std::random_device{}()};
    std::uniform_real_distribution<double> spread(1.0 - r.jitter, 1.0 + r.jitter);
    wait *= spread(rng);
  }
  return std::chrono::milliseconds(std::max<int64_t>(1, static_cast<int64_t>(wait)));
}

void DestinationQueue::finish(const Item& item, ferry_status_t status, std::string reason, MessageRef response) {
  const int64_t attempts = item.attempts + 1;
  if (status != FERRY_OK && status != FERRY_RETRY && status != FERRY_FILTERED) status = FERRY_ERROR;
  if (status != FERRY_OK && reason.empty()) reason = "no error text";
  bool final = true;
  std::string stored_status;
  switch (status) {
    case FERRY_OK: stored_status = "sent"; break;
    case FERRY_FILTERED: stored_status = "filtered"; break;
    case FERRY_RETRY:
      if (spec_.retry.max_attempts > 0 && attempts >= spec_.retry.max_attempts) {
        status = FERRY_ERROR;
        reason = "gave up after " + std::to_string(attempts) + " attempt(s): " + reason;
        stored_status = "error";
      } else {
        final = false;
        stored_status = "queued";
      }
      break;
    default: stored_status = "error";
  }

  bool rotated = false;
  {
    std::lock_guard lock(mutex_);
    auto it = std::find_if(window_.begin(), window_.end(), [&](const Item& i) { return i.id == item.id; });
    if (it != window_.end()) {
      if (final) {
        window_.erase(it);
        unsettled_.insert(item.id);  // until its status is committed
      } else if (spec_.rotate && !halted_) {
        // To the back, waiting out its backoff; the others go on meanwhile.
        Item moved = std::move(*it);
        window_.erase(it);
        moved.attempts = attempts;
        moved.not_before = std::chrono::steady_clock::now() + backoff(attempts);
        window_.push_back(std::move(moved));
        rotated = true;
      } else {
        it->attempts = attempts;
      }
    }
  }

  store::AttemptResult attempt;
  attempt.id = item.id;
  attempt.channel = channel_.id();
  attempt.destination = spec_.id;
  attempt.status = stored_status;
  attempt.attempts = attempts;
  attempt.error = status == FERRY_OK ? std::string() : reason;
  if (response) {
    attempt.response = response->content;
    attempt.response_type = response->content_type;
  }
  attempt.level = channel_.storage_level();
  const int64_t id = item.id;
  engine_.store().submit(store::record_attempt(std::move(attempt), [this, id, final](bool, const std::string&) {
    if (!final) return;
    std::lock_guard lock(mutex_);
    unsettled_.erase(id);
  }));

  const std::string counter = status == FERRY_OK         ? "sent"
                              : status == FERRY_FILTERED ? "filtered"
                              : status == FERRY_RETRY    ? "retries"
                                                         : "errored";
  engine_.store().add_stat(channel_.id(), spec_.id, counter, 1);
  const std::string what = "message " + std::to_string(id);
  switch (status) {
    case FERRY_OK: stats_.sent++; log_for(*instance_, FERRY_LOG_DEBUG, what + " sent"); break;
    case FERRY_FILTERED: stats_.filtered++; log_for(*instance_, FERRY_LOG_INFO, what + " filtered: " + reason); break;
    case FERRY_RETRY:
      stats_.retries++;
      log_for(*instance_, FERRY_LOG_WARN,
              what + " attempt " + std::to_string(attempts) + " failed, will retry: " + reason);
      break;
    default: stats_.errored++; log_for(*instance_, FERRY_LOG_ERROR, what + " failed: " + reason);
  }
  if (final) channel_.delivery_finished(id, index_, status, response, reason);

  if (final || rotated) {
    {
      std::lock_guard lock(mutex_);
      busy_ = false;
      idle_cv_.notify_all();
    }
    pump();
    return;
  }
  std::lock_guard lock(mutex_);
  if (halted_) {
    busy_ = false;
    idle_cv_.notify_all();
    return;
  }
  retry_timer_.expires_after(backoff(attempts));
  retry_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;
    {
      std::lock_guard lock(mutex_);
      busy_ = false;
    }
    pump();
  });
}

bool DestinationQueue::halt(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mutex_);
  halted_ = true;
  retry_timer_.cancel();
  return idle_cv_.wait_until(lock, deadline, [&] { return current_ == nullptr; });
}

}  // namespace ferry::runtime
