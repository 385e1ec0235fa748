// The state shared by the copies of one Responder, and the gate that turns
// every Responder into a no-op once the server has stopped.
#pragma once

#include <ferry/http/server/exchange.hpp>

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>

namespace ferry::http::server::detail {

class Connection;

// Open while the server runs. Work that reaches into the server from other
// threads runs under it, so once close() returns none is running or starts.
class Gate {
 public:
  template <class F>
  void run(F&& f) {
    std::lock_guard lock(mutex_);
    if (open_) f();
  }
  void close() {
    std::lock_guard lock(mutex_);
    open_ = false;
  }

 private:
  std::mutex mutex_;
  bool open_ = true;
};

class Answer {
 public:
  Answer(std::weak_ptr<Connection> connection, uint64_t seq, std::shared_ptr<Gate> gate)
      : connection_(std::move(connection)), seq_(seq), gate_(std::move(gate)) {}
  ~Answer();
  Answer(const Answer&) = delete;
  Answer& operator=(const Answer&) = delete;

  void deliver(Response response);

 private:
  std::weak_ptr<Connection> connection_;
  uint64_t seq_;
  std::shared_ptr<Gate> gate_;
  std::atomic<bool> done_{false};
};

}  // namespace ferry::http::server::detail
