// mllp.listener: an HL7 v2 over MLLP server. Each complete frame is parsed,
// emitted into the channel, and answered (in order, also when pipelined) once
// the channel says it is stored, per the channel's response policy.
#pragma once

#include <ferry/net/tls.hpp>
#include <ferry/net/transport.hpp>
#include <ferry/plugin.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <atomic>
#include <memory>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "framing.hpp"
#include "keys.hpp"

namespace mllp {

class Connection;

struct ListenerSettings {
  std::string host;
  uint16_t port = 0;
  size_t max_connections = 0;
  size_t max_message_bytes = 0;
  int64_t idle_timeout_ms = 0;
  int64_t read_timeout_ms = 0;
  size_t window = 0;  // messages of one connection awaiting their ACK
  Framing framing;
  std::string filtered_ack;  // accept | error | reject
  bool send_acks = true;
};

class Listener : public ferry::Source {
 public:
  static constexpr const char* type = "mllp.listener";
  static constexpr const char* version = "1.0.0";
  static constexpr const char* description = "Receives HL7 v2 messages over MLLP (TCP) and acknowledges them";
  static constexpr const char* const ack_choices[] = {"accept", "error", "reject", nullptr};
  static constexpr std::array config_keys = {
      ferry::Key::string("host").describe("Address to listen on").fallback("\"127.0.0.1\""),
      ferry::Key::integer("port").describe("TCP port").required().range(1, 65535),
      ferry::Key::integer("max_connections").describe("Connections served at once; more are closed at once").fallback("100").range(1, 100000),
      ferry::Key::integer("max_message_bytes").describe("Largest message accepted; larger ones get AR and the connection is closed").fallback("16777216").range(64, 1073741824),
      ferry::Key::integer("idle_timeout_ms").describe("Close a connection silent this long (0: never)").fallback("600000").min(0),
      ferry::Key::integer("read_timeout_ms").describe("Close a connection whose started message does not end within this time").fallback("30000").range(1, 3600000),
      ferry::Key::integer("window").describe("Messages of one connection in flight (pipelining) before reading pauses").fallback("64").range(1, 100000),
      keys::frame_start,
      keys::frame_end,
      keys::frame_trailer,
      ferry::Key::string("filtered_ack").describe("Acknowledgement for a message the channel filtered").fallback("\"accept\"").one_of(ack_choices),
      ferry::Key::boolean("send_acks").describe("Answer every message (false: never answer)").fallback("true"),
      ferry::Key::integer("threads").describe("Network threads").fallback("1").range(1, 64),
      ferry::Key::boolean("tls").describe("Accept TLS connections only").fallback("false"),
      ferry::Key::string("tls_certificate").describe("PEM file with the server certificate (chain)").fallback("\"\""),
      ferry::Key::string("tls_key").describe("PEM file with the certificate's private key").fallback("\"\"").secret(),
      ferry::Key::string("tls_ca").describe("PEM file with the CAs that sign client certificates").fallback("\"\""),
      ferry::Key::boolean("tls_require_client_certificate").describe("Mutual TLS: refuse clients without a valid certificate").fallback("false"),
      keys::tls_min_version,
  };

  Listener(ferry::Instance self, const ferry::Config& config);
  ~Listener() override;
  void start() override;
  void stop() override;

  const ListenerSettings& settings() const { return settings_; }
  // Called by connections.
  void closed(const std::shared_ptr<Connection>& c);

 private:
  void accept();

  ListenerSettings settings_;
  std::shared_ptr<boost::asio::ssl::context> tls_;
  size_t threads_;
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::set<std::shared_ptr<Connection>> connections_;
  std::atomic<bool> stopping_{false};
};

}  // namespace mllp
