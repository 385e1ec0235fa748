#include <ferry/http/client.hpp>

#include <curl/curl.h>

#include <algorithm>
#include <map>
#include <stdexcept>

#include "transfer.hpp"

namespace ferry::http {

namespace {

void global_init() {
  // Thread-safe since libcurl 7.84 and reference counted; never undone, as
  // the host never unloads a plugin.
  static const CURLcode rc = curl_global_init(CURL_GLOBAL_DEFAULT);
  if (rc != CURLE_OK) throw std::runtime_error(std::string("libcurl initialisation failed: ") + curl_easy_strerror(rc));
}

Result cancelled() {
  Result r;
  r.kind = Result::Kind::cancelled;
  r.error = "the HTTP client stopped before the request finished";
  return r;
}

// Upper bound of one wait for socket activity; libcurl's own timers and
// curl_multi_wakeup() end it sooner.
constexpr int kMaxPollMs = 1000;

}  // namespace

struct Client::Worker {
  CURLM* multi = nullptr;
  std::map<CURL*, std::unique_ptr<detail::Transfer>> transfers;

  Worker() : multi(curl_multi_init()) {
    if (multi == nullptr) throw std::runtime_error("libcurl could not create a multi handle");
  }
  ~Worker() {
    for (auto& [easy, t] : transfers) curl_multi_remove_handle(multi, easy);
    transfers.clear();
    curl_multi_cleanup(multi);
  }
};

Client::Client(ClientOptions options) : options_(std::move(options)) {
  if (options_.connect_timeout_ms <= 0 || options_.timeout_ms <= 0)
    throw std::invalid_argument("timeouts must be positive");
  if (options_.tls.min_version != "1.2" && options_.tls.min_version != "1.3")
    throw std::invalid_argument("TLS minimum version must be 1.2 or 1.3");
  if (options_.tls.key.empty() != options_.tls.certificate.empty())
    throw std::invalid_argument("a client certificate needs its key, and a key its certificate");
  global_init();
}

Client::~Client() { stop(); }

void Client::start() {
  std::lock_guard lock(mutex_);
  if (started_ || stopping_) return;
  worker_ = std::make_unique<Worker>();
  started_ = true;
  thread_ = std::thread([this] { run(); });
}

void Client::stop() {
  std::deque<Pending> never_started;
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
    if (!started_) never_started.swap(queue_);
    else curl_multi_wakeup(worker_->multi);
  }
  for (auto& p : never_started) p.done(cancelled());
  if (thread_.joinable()) thread_.join();
  worker_.reset();
}

void Client::send(Request request, Done done) {
  {
    std::lock_guard lock(mutex_);
    if (!stopping_) {
      queue_.push_back(Pending{std::move(request), std::move(done)});
      if (started_) curl_multi_wakeup(worker_->multi);
      return;
    }
  }
  done(cancelled());
}

void Client::hold_until(std::chrono::steady_clock::time_point until) {
  std::lock_guard lock(mutex_);
  hold_until_ = std::max(hold_until_, until);
  if (started_ && !stopping_) curl_multi_wakeup(worker_->multi);
}

void Client::run() {
  CURLM* multi = worker_->multi;
  auto& transfers = worker_->transfers;
  for (;;) {
    std::deque<Pending> ready;
    int wait_ms = kMaxPollMs;
    {
      std::lock_guard lock(mutex_);
      if (stopping_) break;
      const auto now = std::chrono::steady_clock::now();
      if (now >= hold_until_) {
        ready.swap(queue_);
      } else if (!queue_.empty()) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(hold_until_ - now).count() + 1;
        wait_ms = static_cast<int>(std::min<int64_t>(left, kMaxPollMs));
      }
    }
    for (auto& p : ready) {
      std::unique_ptr<detail::Transfer> t;
      std::string why;
      try {
        t = std::make_unique<detail::Transfer>(options_, std::move(p.request), p.done);
      } catch (const std::exception& e) {
        why = e.what();
      }
      CURLMcode added = CURLM_OK;
      if (t) {
        added = curl_multi_add_handle(multi, t->handle());
        if (added == CURLM_OK) {
          CURL* easy = t->handle();
          transfers.emplace(easy, std::move(t));
          continue;
        }
        why = curl_multi_strerror(added);
      }
      Result r;
      r.kind = Result::Kind::invalid;
      r.error = why;
      p.done(std::move(r));
    }
    int running = 0;
    curl_multi_perform(multi, &running);
    int left = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi, &left)) {
      if (msg->msg != CURLMSG_DONE) continue;
      CURL* easy = msg->easy_handle;
      const CURLcode code = msg->data.result;
      auto it = transfers.find(easy);
      if (it == transfers.end()) continue;
      curl_multi_remove_handle(multi, easy);
      Result r = it->second->finish(code);
      Done done = it->second->take_done();
      transfers.erase(it);  // frees the handle; the connection stays in the multi's cache
      done(std::move(r));
    }
    curl_multi_poll(multi, nullptr, 0, wait_ms, nullptr);
  }
  // Stopping: whatever is in flight or queued ends as cancelled.
  std::deque<Pending> queued;
  {
    std::lock_guard lock(mutex_);
    queued.swap(queue_);
  }
  for (auto& [easy, t] : transfers) {
    curl_multi_remove_handle(multi, easy);
    Done done = t->take_done();
    done(cancelled());
  }
  transfers.clear();
  for (auto& p : queued) p.done(cancelled());
}

}  // namespace ferry::http
