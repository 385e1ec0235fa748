#include "runtime/destination.hpp"

#include <boost/asio/post.hpp>

#include "log/log.hpp"
#include "runtime/chain.hpp"
#include "runtime/engine.hpp"
#include "runtime/instance.hpp"

namespace ferry::runtime {

namespace asio = boost::asio;

DestinationQueue::DestinationQueue(Engine& engine, std::string id)
    : engine_(engine), id_(std::move(id)), instance_(std::make_unique<ferry_instance>()),
      retry_timer_(engine.io()) {
  instance_->engine = &engine;
  instance_->destination = this;
}

DestinationQueue::~DestinationQueue() = default;

size_t DestinationQueue::queued() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

void DestinationQueue::enqueue(MessageRef message) {
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(message));
  }
  pump();
}

// Start the head of the queue if nothing is in progress: FIFO, one at a time.
void DestinationQueue::pump() {
  MessageRef head;
  {
    std::lock_guard lock(mutex_);
    if (busy_ || halted_ || queue_.empty()) return;
    busy_ = true;
    head = queue_.front();
  }
  asio::post(engine_.io(), [this, head = std::move(head)]() mutable { deliver(std::move(head)); });
}

void DestinationQueue::deliver(MessageRef original) {
  // Transformers work on a copy: a retry starts again from the original.
  MessageRef work = clone_message(*original);
  const ChainOutcome outcome = run_chain(transformers_, *work);
  if (outcome.status != FERRY_OK) {
    finish(outcome.status, outcome.step + ": " + outcome.reason);
    return;
  }
  ferry_instance& inst = *instance_;
  auto* d = new ferry_delivery();
  d->queue = this;
  d->message = work.detach();
  if (!inst.begin_activity()) {  // stopping: leave the message queued
    MessageRef::release(d->message);
    delete d;
    finish(FERRY_RETRY, "engine is stopping");
    return;
  }
  // The activity begun here ends in complete(), whenever the plugin calls it.
  inst.component->desc.send(inst.state, d);
}

void DestinationQueue::complete(ferry_delivery* d, ferry_status_t status, ferry_message* response,
                                std::string_view error) {
  (void)response;  // stored as the destination's response once the store exists
  if (d->completed.exchange(true)) {
    log_for(*instance_, FERRY_LOG_ERROR, "plugin completed a delivery twice; ignored");
    return;
  }
  MessageRef::release(d->message);
  delete d;
  if (status != FERRY_OK && status != FERRY_RETRY) status = FERRY_ERROR;
  finish(status, error.empty() && status != FERRY_OK ? "no error text" : error);
  instance_->end_activity();
}

void DestinationQueue::finish(ferry_status_t status, std::string_view reason) {
  int64_t id = 0;
  uint32_t attempts = 0;
  {
    std::lock_guard lock(mutex_);
    if (!queue_.empty()) id = queue_.front()->id;
    attempts = ++attempts_;
    if (status == FERRY_RETRY && !halted_ && !instance_->closing) {
      stats_.retries++;
      retry_timer_.expires_after(std::chrono::milliseconds(engine_.settings().retry_interval_ms));
      retry_timer_.async_wait([this](const boost::system::error_code& ec) {
        if (ec) return;
        {
          std::lock_guard lock(mutex_);
          busy_ = false;
        }
        pump();
      });
    } else {
      if (status != FERRY_RETRY) {
        queue_.pop_front();
        attempts_ = 0;
      }
      busy_ = false;
      idle_cv_.notify_all();
    }
  }
  const std::string msg_id = "message " + std::to_string(id);
  switch (status) {
    case FERRY_OK: stats_.sent++; log_for(*instance_, FERRY_LOG_DEBUG, msg_id + " sent"); break;
    case FERRY_FILTERED:
      stats_.filtered++;
      log_for(*instance_, FERRY_LOG_INFO, msg_id + " filtered: " + std::string(reason));
      break;
    case FERRY_RETRY:
      log_for(*instance_, FERRY_LOG_WARN,
              msg_id + " attempt " + std::to_string(attempts) + " failed, will retry: " + std::string(reason));
      return;
    default:
      stats_.errored++;
      log_for(*instance_, FERRY_LOG_ERROR, msg_id + " failed: " + std::string(reason));
  }
  pump();
}

bool DestinationQueue::wait_idle(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mutex_);
  return idle_cv_.wait_until(lock, deadline, [&] { return queue_.empty() && !busy_; });
}

void DestinationQueue::halt() {
  std::lock_guard lock(mutex_);
  halted_ = true;
  retry_timer_.cancel();
}

}  // namespace ferry::runtime
