#include <ferry/http/server/server.hpp>

#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>

#include <chrono>

#include "connection.hpp"
#include "core.hpp"

namespace ferry::http::server {

namespace asio = boost::asio;

namespace detail {

Core::Core(ServerSettings settings, Handler handler, Observer observer)
    : settings_(std::move(settings)),
      handler_(std::move(handler)),
      observer_(std::move(observer)),
      acceptor_(io_),
      accept_pause_(io_) {}

Core::~Core() { stop(); }

std::string Core::where() const {
  return settings_.host + ":" + std::to_string(port_ != 0 ? port_ : settings_.port);
}

void Core::log(LogLevel level, std::string_view text) const {
  if (observer_.log) observer_.log(level, text);
}

void Core::count(std::string_view counter) const {
  if (observer_.count) observer_.count(counter);
}

void Core::start() {
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(settings_.host, ec);
  if (ec) throw std::runtime_error("host \"" + settings_.host + "\" is not an IP address: " + ec.message());
  const asio::ip::tcp::endpoint endpoint(address, settings_.port);
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(asio::ip::tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    acceptor_.close();
    throw std::runtime_error("cannot listen on " + where() + ": " + ec.message());
  }
  port_ = acceptor_.local_endpoint(ec).port();
  accept();
  started_ = true;
  for (size_t i = 0; i < std::max<size_t>(settings_.threads, 1); ++i) {
    workers_.emplace_back([this] {
      for (;;) {
        try {
          io_.run();
          return;
        } catch (const std::exception& e) {  // a bug or out of memory in one handler: keep serving
          log(LogLevel::error, std::string("network thread: ") + e.what());
        }
      }
    });
  }
}

void Core::accept() {
  acceptor_.async_accept(asio::make_strand(io_), [this](const boost::system::error_code& ec, asio::ip::tcp::socket socket) {
    if (ec) {
      if (ec == asio::error::operation_aborted || stopping_) return;
      // E.g. out of file descriptors: pause rather than spin.
      log(LogLevel::warn, "accept failed: " + ec.message() + "; trying again in 100 ms");
      accept_pause_.expires_after(std::chrono::milliseconds(100));
      accept_pause_.async_wait([this](const boost::system::error_code& e) {
        if (!e && !stopping_) accept();
      });
      return;
    }
    // Answers leave at once, not after the peer's delayed TCP ACK (Nagle).
    boost::system::error_code ignored;
    socket.set_option(asio::ip::tcp::no_delay(true), ignored);
    std::shared_ptr<Connection> c;
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
      const bool refuse = served_ >= settings_.max_connections;
      c = std::make_shared<Connection>(*this, std::move(socket), refuse);
      connections_.insert(c);
      if (!refuse) ++served_;
    }
    count("connections");
    c->start();
    accept();
  });
}

void Core::closed(const std::shared_ptr<Connection>& c) {
  std::lock_guard lock(mutex_);
  if (connections_.erase(c) != 0 && c->served()) --served_;
}

void Core::stop() {
  if (stopping_.exchange(true)) return;
  if (started_) {
    asio::post(io_, [this] {
      boost::system::error_code ec;
      acceptor_.close(ec);
      accept_pause_.cancel();
      std::set<std::shared_ptr<Connection>> all;
      {
        std::lock_guard lock(mutex_);
        all = connections_;
      }
      for (auto& c : all) c->shutdown();
    });
    // Responses being written get a moment to go out; then everything ends.
    for (int i = 0; i < 200; ++i) {
      {
        std::lock_guard lock(mutex_);
        if (connections_.empty()) break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    io_.stop();
    for (auto& t : workers_) t.join();
    workers_.clear();
  }
  gate_->close();  // from now on Responders do nothing
  std::lock_guard lock(mutex_);
  connections_.clear();
  served_ = 0;
}

}  // namespace detail

Server::Server(ServerSettings settings, Handler handler, Observer observer)
    : core_(std::make_unique<detail::Core>(std::move(settings), std::move(handler), std::move(observer))) {}

Server::~Server() { core_->stop(); }

void Server::start() { core_->start(); }
void Server::stop() { core_->stop(); }
uint16_t Server::port() const { return core_->port(); }
std::string Server::where() const { return core_->where(); }

}  // namespace ferry::http::server
