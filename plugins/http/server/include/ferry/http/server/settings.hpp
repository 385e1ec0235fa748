// What a Server listens on, what it accepts, and its limits.
#pragma once

#include <boost/asio/ssl/context.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "auth.hpp"
#include "paths.hpp"

namespace ferry::http::server {

struct ServerSettings {
  std::string host = "127.0.0.1";
  uint16_t port = 0;                  // 0: any free port (see Server::port())
  PathSet paths;                      // answered paths; others get 404
  std::vector<std::string> methods;   // allowed methods; others get 405
  std::vector<std::string> content_types;  // allowed media types (empty: any); others get 415
  size_t max_body_bytes = 10 * 1024 * 1024;
  size_t max_header_bytes = 16 * 1024;
  bool keep_alive = true;
  int64_t header_timeout_ms = 10000;    // request line and headers, from their first byte
  int64_t request_timeout_ms = 60000;   // the whole request, from its first byte; also the write of a response
  int64_t idle_timeout_ms = 60000;      // a kept-alive connection waiting for its next request
  int64_t response_timeout_ms = 60000;  // the handler's answer; then 504
  size_t max_connections = 100;
  size_t threads = 1;
  AuthSettings auth;
  std::shared_ptr<boost::asio::ssl::context> tls;  // null: plain TCP
};

enum class LogLevel { debug, info, warn, error };

// How the server reports: log lines and counters (e.g. to ferry::Instance).
// Both are called from network threads.
struct Observer {
  std::function<void(LogLevel, std::string_view)> log;
  std::function<void(std::string_view counter)> count;
};

}  // namespace ferry::http::server
