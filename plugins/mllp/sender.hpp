// mllp.sender: delivers HL7 v2 messages over MLLP and judges the ACK. One
// persistent connection, reconnected as needed; the channel's retry policy
// paces the attempts after a failure.
#pragma once

#include <ferry/net/tls.hpp>
#include <ferry/net/transport.hpp>
#include <ferry/plugin.hpp>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <array>
#include <mutex>
#include <optional>
#include <thread>

#include "framing.hpp"
#include "keys.hpp"

namespace mllp {

class Sender : public ferry::Destination {
 public:
  static constexpr const char* type = "mllp.sender";
  static constexpr const char* version = "1.0.0";
  static constexpr const char* description = "Sends HL7 v2 messages over MLLP (TCP) and checks each ACK";
  static constexpr const char* const outcomes[] = {"retry", "fail", "accept", nullptr};
  static constexpr std::array config_keys = {
      ferry::Key::string("host").describe("Receiver's address or name").required().min(1),
      ferry::Key::integer("port").describe("Receiver's TCP port").required().range(1, 65535),
      ferry::Key::integer("connect_timeout_ms").describe("Give up connecting after this long").fallback("10000").range(1, 3600000),
      ferry::Key::integer("response_timeout_ms").describe("Wait this long for the ACK").fallback("30000").range(1, 3600000),
      ferry::Key::boolean("keep_connection").describe("Reuse one connection for all messages").fallback("true"),
      ferry::Key::string("on_error").describe("What an AE/CE answer means").fallback("\"retry\"").one_of(outcomes),
      ferry::Key::string("on_reject").describe("What an AR/CR answer means").fallback("\"fail\"").one_of(outcomes),
      ferry::Key::string("on_no_ack").describe("What a missing, late or unreadable answer means").fallback("\"retry\"").one_of(outcomes),
      ferry::Key::boolean("check_control_id").describe("The ACK's MSA-2 must equal the message's MSH-10").fallback("true"),
      ferry::Key::integer("max_response_bytes").describe("Largest answer accepted").fallback("1048576").range(64, 1073741824),
      keys::frame_start,
      keys::frame_end,
      keys::frame_trailer,
      ferry::Key::boolean("tls").describe("Connect with TLS").fallback("false"),
      ferry::Key::boolean("tls_verify").describe("Verify the server's certificate and name (keep on outside tests)").fallback("true"),
      ferry::Key::string("tls_ca").describe("PEM file with the CAs to trust (default: the system's)").fallback("\"\""),
      ferry::Key::string("tls_server_name").describe("Name to verify and send as SNI (default: host)").fallback("\"\""),
      ferry::Key::string("tls_certificate").describe("PEM file with a client certificate, for mutual TLS").fallback("\"\""),
      ferry::Key::string("tls_key").describe("PEM file with the client certificate's private key").fallback("\"\"").secret(),
      keys::tls_min_version,
  };

  Sender(ferry::Instance self, const ferry::Config& config);
  ~Sender() override;
  void start() override;
  void stop() override;
  void send(ferry::Delivery& delivery) override;

 private:
  void connect();
  void handshake();
  void write();
  void disconnect();
  void read();
  void finish(ferry_status_t status, const std::string& text, std::string response = {});
  void fail_io(const std::string& what, const boost::system::error_code& ec);
  ferry_status_t outcome(const std::string& setting) const;

  std::string host_;
  std::string port_;
  int64_t connect_timeout_ms_, response_timeout_ms_;
  bool keep_connection_;
  std::string on_error_, on_reject_, on_no_ack_;
  bool check_control_id_;
  size_t max_response_bytes_;
  Framing framing_;

  boost::asio::io_context io_;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
  std::thread thread_;
  std::shared_ptr<boost::asio::ssl::context> tls_;
  std::string server_name_;
  std::optional<ferry::net::Transport> transport_;  // a fresh one per connection (TLS state cannot be reused)
  boost::asio::ip::tcp::resolver resolver_;
  boost::asio::steady_timer timer_;
  std::array<char, 16 * 1024> buffer_{};
  std::optional<FrameReader> reader_;

  // The send in progress (touched on the io thread, and by stop()).
  std::mutex mutex_;
  std::optional<ferry::Delivery> delivery_;
  std::string frame_;
  std::string control_id_;
  bool connected_ = false;
};

}  // namespace mllp
