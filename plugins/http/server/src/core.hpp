// The server's machinery behind ferry::http::server::Server: io_context and
// threads, the acceptor, and the set of live connections.
#pragma once

#include <ferry/http/server/server.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "answer.hpp"

namespace ferry::http::server::detail {

class Core {
 public:
  Core(ServerSettings settings, Handler handler, Observer observer);
  ~Core();

  void start();
  void stop();
  uint16_t port() const { return port_; }
  std::string where() const;

  // For connections.
  const ServerSettings& settings() const { return settings_; }
  const Handler& handler() const { return handler_; }
  const std::shared_ptr<Gate>& gate() const { return gate_; }
  void log(LogLevel level, std::string_view text) const;
  void count(std::string_view counter) const;
  void closed(const std::shared_ptr<Connection>& c);

 private:
  void accept();

  const ServerSettings settings_;
  const Handler handler_;
  const Observer observer_;
  std::shared_ptr<Gate> gate_ = std::make_shared<Gate>();
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer accept_pause_;
  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::set<std::shared_ptr<Connection>> connections_;
  size_t served_ = 0;  // connections counted against max_connections
  std::atomic<bool> stopping_{false};
  bool started_ = false;
  uint16_t port_ = 0;
};

}  // namespace ferry::http::server::detail
