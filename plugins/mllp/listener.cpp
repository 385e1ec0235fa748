#include "listener.hpp"

#include <boost/asio/post.hpp>

#include "connection.hpp"

namespace mllp {

namespace asio = boost::asio;

Listener::Listener(ferry::Instance self, const ferry::Config& c)
    : Source(self), threads_(static_cast<size_t>(c.integer("threads"))), acceptor_(io_) {
  settings_.host = c.string("host");
  settings_.port = static_cast<uint16_t>(c.integer("port"));
  settings_.max_connections = static_cast<size_t>(c.integer("max_connections"));
  settings_.max_message_bytes = static_cast<size_t>(c.integer("max_message_bytes"));
  settings_.idle_timeout_ms = c.integer("idle_timeout_ms");
  settings_.read_timeout_ms = c.integer("read_timeout_ms");
  settings_.window = static_cast<size_t>(c.integer("window"));
  settings_.framing = keys::read_framing(c);
  settings_.filtered_ack = c.string("filtered_ack");
  settings_.send_acks = c.boolean("send_acks");
  if (c.boolean("tls")) {
    ferry::net::TlsSettings t;
    t.enabled = true;
    t.certificate = c.string("tls_certificate");
    t.key = c.string("tls_key");
    t.ca = c.string("tls_ca");
    t.require_client_certificate = c.boolean("tls_require_client_certificate");
    t.min_version = c.string("tls_min_version");
    try {
      tls_ = ferry::net::make_tls_context(t, true);
    } catch (const std::exception& e) {
      throw ferry::Error(std::string("TLS: ") + e.what());
    }
  }
}

Listener::~Listener() { stop(); }

void Listener::start() {
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(settings_.host, ec);
  if (ec) throw ferry::Error("host \"" + settings_.host + "\" is not an IP address: " + ec.message());
  const asio::ip::tcp::endpoint endpoint(address, settings_.port);
  const std::string where = settings_.host + ":" + std::to_string(settings_.port);
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(asio::ip::tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) throw ferry::Error("cannot listen on " + where + ": " + ec.message());
  accept();
  for (size_t i = 0; i < threads_; ++i) workers_.emplace_back([this] { io_.run(); });
  self().info(std::string("listening for MLLP") + (tls_ ? " over TLS" : "") + " on " + where);
}

void Listener::accept() {
  acceptor_.async_accept(asio::make_strand(io_), [this](const boost::system::error_code& ec, asio::ip::tcp::socket socket) {
    if (ec) {
      if (ec != asio::error::operation_aborted && !stopping_) {
        self().warn("accept failed: " + ec.message());
        accept();
      }
      return;
    }
    // An ACK must leave at once: with Nagle's algorithm a small answer
    // written while an earlier one is unacknowledged waits for the peer's
    // delayed TCP ACK (up to 40 ms on Linux).
    boost::system::error_code ignored;
    socket.set_option(asio::ip::tcp::no_delay(true), ignored);
    auto c = std::make_shared<Connection>(*this, std::move(socket), tls_);
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
      if (connections_.size() >= settings_.max_connections) {
        // Over the limit: refuse this one so everyone else stays served.
        self().warn("connection from " + c->remote() + " refused: max_connections (" +
                    std::to_string(settings_.max_connections) + ") reached");
        c->shutdown(true);
        accept();
        return;
      }
      connections_.insert(c);
    }
    self().count("connections");
    c->start();
    accept();
  });
}

void Listener::closed(const std::shared_ptr<Connection>& c) {
  std::lock_guard lock(mutex_);
  connections_.erase(c);
}

void Listener::stop() {
  if (stopping_.exchange(true)) return;
  asio::post(io_, [this] {
    boost::system::error_code ec;
    acceptor_.close(ec);
    std::set<std::shared_ptr<Connection>> all;
    {
      std::lock_guard lock(mutex_);
      all = connections_;
    }
    for (auto& c : all) c->shutdown(false);  // the last ACKs still go out
  });
  // Give due ACKs a moment to be written, then end everything.
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
  std::lock_guard lock(mutex_);
  connections_.clear();
}

}  // namespace mllp
