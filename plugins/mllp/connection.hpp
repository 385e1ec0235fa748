// One client connection of mllp.listener, on its own strand. Messages may be
// pipelined: each gets a slot in arrival order, and ACKs are written in that
// order as the channel answers.
#pragma once

#include <ferry/hl7/message.hpp>
#include <ferry/net/transport.hpp>
#include <ferry/plugin.hpp>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <array>
#include <deque>
#include <memory>
#include <optional>
#include <string>

#include "framing.hpp"

namespace mllp {

class Listener;

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(Listener& listener, boost::asio::ip::tcp::socket socket,
             std::shared_ptr<boost::asio::ssl::context> tls);
  void start();
  // Close once the ACKs already due are written (or at once if `now`).
  void shutdown(bool now);
  const std::string& remote() const { return remote_; }

 private:
  struct Slot {
    uint64_t seq = 0;
    std::optional<ferry::hl7::Message> message;  // parsed; empty if unparsable
    std::string raw;                 // kept until emitted (backpressure)
    bool emitted = false;
    bool ready = false;
    std::string response;            // the ACK to write (empty: none)
  };

  void read();
  void on_frame(std::string payload);
  void emit_pending();
  void answer(uint64_t seq, const ferry::EmitResult& result, std::string channel_response);
  void flush();
  void write_next();
  void close(const std::string& why);
  void arm_idle();
  void update_read_timer();
  Slot* find(uint64_t seq);

  Listener& listener_;
  boost::asio::strand<boost::asio::any_io_executor> strand_;
  ferry::net::Transport transport_;
  boost::asio::steady_timer idle_timer_, read_timer_, retry_timer_;
  std::string remote_;
  FrameReader reader_;
  std::array<char, 64 * 1024> buffer_{};
  std::deque<Slot> slots_;
  uint64_t next_seq_ = 1;
  std::deque<std::string> writes_;
  bool writing_ = false;
  bool reading_ = false;
  bool read_timer_armed_ = false;
  bool retry_armed_ = false;
  bool closing_ = false;
  bool closed_ = false;
};

}  // namespace mllp
