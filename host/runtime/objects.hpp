// The host's definitions of the ABI's opaque handles. Plugins only ever see
// pointers to these; nothing here crosses the ABI by value.
#pragma once

#include <ferry/plugin.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace ferry::loader {
struct Component;
}
namespace ferry::runtime {
class Channel;
class DestinationQueue;
class Engine;
struct Timer;
}  // namespace ferry::runtime

struct ferry_error {
  std::string text;
};

struct ferry_message {
  std::atomic<uint32_t> refs{1};
  std::string content;
  std::string content_type;
  std::vector<std::pair<std::string, std::string>> meta;  // insertion order
  int64_t id = 0;
};

struct ferry_config {
  nlohmann::json value;
  std::string text;
  std::map<std::string, std::string> json_texts;  // config_get_json views
};

// One configured component. Every call the host makes into the plugin for
// this instance happens inside begin_activity()/end_activity(), so close()
// can wait until nothing of the instance runs before calling its stop().
struct ferry_instance {
  ferry::runtime::Engine* engine = nullptr;
  ferry::runtime::Channel* channel = nullptr;
  ferry::runtime::DestinationQueue* destination = nullptr;  // destinations only
  const ferry::loader::Component* component = nullptr;
  std::string channel_id;
  std::string name;  // "source", "transformer 0", "destination out", ...
  void* state = nullptr;
  bool created = false;
  bool started = false;
  bool stopped = false;

  std::atomic<bool> closing{false};
  std::mutex activity_mutex;
  std::condition_variable activity_cv;
  int64_t activity = 0;

  std::mutex call_mutex;  // serialises calls unless FERRY_COMPONENT_CONCURRENT

  std::mutex timers_mutex;
  uint64_t next_timer_id = 1;
  std::map<uint64_t, std::shared_ptr<ferry::runtime::Timer>> timers;

  std::mutex metrics_mutex;
  std::map<std::string, uint64_t> counters;
  std::map<std::string, int64_t> gauges;

  bool begin_activity() {
    std::lock_guard lock(activity_mutex);
    if (closing.load()) return false;
    ++activity;
    return true;
  }
  void end_activity() {
    std::lock_guard lock(activity_mutex);
    if (--activity == 0) activity_cv.notify_all();
  }
};

struct ferry_delivery {
  ferry::runtime::DestinationQueue* queue = nullptr;
  ferry_message* message = nullptr;  // owned reference
};

namespace ferry::runtime {

// Owning reference to a message.
class MessageRef {
 public:
  MessageRef() = default;
  explicit MessageRef(ferry_message* adopted) : m_(adopted) {}
  MessageRef(const MessageRef& o) : m_(o.m_) { retain(); }
  MessageRef(MessageRef&& o) noexcept : m_(std::exchange(o.m_, nullptr)) {}
  MessageRef& operator=(MessageRef o) noexcept {
    std::swap(m_, o.m_);
    return *this;
  }
  ~MessageRef() { release(m_); }
  ferry_message* get() const { return m_; }
  ferry_message* operator->() const { return m_; }
  ferry_message& operator*() const { return *m_; }
  ferry_message* detach() { return std::exchange(m_, nullptr); }
  explicit operator bool() const { return m_ != nullptr; }

  static void release(ferry_message* m) {
    if (m != nullptr && m->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) delete m;
  }

 private:
  void retain() {
    if (m_ != nullptr) m_->refs.fetch_add(1, std::memory_order_relaxed);
  }
  ferry_message* m_ = nullptr;
};

// A fresh, unshared copy (refcount 1) of content, type and metadata.
inline MessageRef clone_message(const ferry_message& m) {
  auto* c = new ferry_message();
  c->content = m.content;
  c->content_type = m.content_type;
  c->meta = m.meta;
  c->id = m.id;
  return MessageRef(c);
}

// The table handed to every plugin.
const ferry_host_api_t* host_api();

}  // namespace ferry::runtime
