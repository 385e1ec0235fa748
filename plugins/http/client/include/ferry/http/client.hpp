// An asynchronous HTTP(S) client over libcurl for Ferry's outbound
// connectors (http.sender, webhook.sender). Not part of the plugin ABI.
//
// One Client per destination instance: it owns one worker thread that drives
// a curl multi handle, so send() only queues the request and returns; the
// answer comes back through a callback on the worker thread. The multi
// handle keeps its connections (and TLS sessions) open between requests, so
// consecutive sends to the same server reuse one connection.
// docs/plugins/http.md says why libcurl rather than Beast.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace ferry::http {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct TlsOptions {
  bool verify = true;       // the server's certificate chain and name
  std::string ca_file;      // PEM CAs to trust ("" = the system's store)
  std::string certificate;  // PEM client certificate for mutual TLS ("" = none)
  std::string key;          // PEM private key of that certificate
  std::string min_version = "1.2";  // "1.2" or "1.3"
};

struct ClientOptions {
  int64_t connect_timeout_ms = 10000;  // TCP connect plus TLS handshake
  int64_t timeout_ms = 30000;          // the whole request, connect included
  size_t max_response_bytes = 1 << 20;  // body bytes kept; the rest is cut off
  size_t max_header_bytes = 256 * 1024;  // all response header lines together
  bool follow_redirects = false;
  std::string proxy;  // "" = connect directly (proxy environment variables are ignored)
  std::string user_agent = "Ferry";
  TlsOptions tls;
};

struct Request {
  std::string method = "POST";
  std::string url;
  Headers headers;  // sent in this order; Content-Type belongs here
  std::string body;
};

struct Response {
  long status = 0;
  std::string reason;  // the status line's text ("" on HTTP/2)
  Headers headers;     // of the final response; names lowercased, values trimmed
  std::string body;
  bool truncated = false;  // the body was longer than max_response_bytes

  // The first value of a header (name in lowercase), if present.
  std::optional<std::string> header(std::string_view lowercase_name) const;
};

struct Result {
  enum class Kind {
    response,   // a complete HTTP response (any status): see `response`
    failed,     // no usable response: connect/TLS/protocol error; see `error`
    timed_out,  // connect_timeout_ms or timeout_ms passed
    invalid,    // the request itself is unusable (bad URL, unsupported scheme)
    cancelled,  // the client stopped before the request finished
  };
  Kind kind = Kind::failed;
  Response response;
  std::string error;  // libcurl's explanation for anything but `response`
};

class Client {
 public:
  using Done = std::function<void(Result)>;

  // Checks the options (files readable, versions known); throws
  // std::invalid_argument naming the problem.
  explicit Client(ClientOptions options);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Starts the worker thread. Sends before start() wait for it.
  void start();
  // Cancels what is queued or in flight (each `done` gets Kind::cancelled,
  // on the worker thread) and joins the worker. After stop() returns no
  // callback runs; later sends are cancelled at once, on the caller's thread.
  void stop();

  // Queues a request; `done` runs exactly once, on the worker thread (or on
  // the caller's thread if the client is stopped). Requests start in order
  // and never before the time given to hold_until().
  void send(Request request, Done done);

  // Sends nothing before `until` (a server's Retry-After): requests queued
  // meanwhile wait on the worker thread, not on the caller.
  void hold_until(std::chrono::steady_clock::time_point until);

  const ClientOptions& options() const { return options_; }

 private:
  struct Pending {
    Request request;
    Done done;
  };
  struct Worker;

  void run();

  const ClientOptions options_;
  std::mutex mutex_;
  std::deque<Pending> queue_;
  std::chrono::steady_clock::time_point hold_until_{};
  bool stopping_ = false;
  bool started_ = false;
  std::unique_ptr<Worker> worker_;  // the curl multi handle and the transfers in flight
  std::thread thread_;
};

}  // namespace ferry::http
