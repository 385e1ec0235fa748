// One client connection of the HTTP server, on its own strand: it reads
// requests one at a time (keep-alive, pipelined requests wait in the
// buffer), checks them, hands good ones to the handler and writes the
// answer. Every wait has a deadline, so a slow or silent peer only ever
// holds its own connection, and not for long.
#pragma once

#include <ferry/http/server/exchange.hpp>
#include <ferry/http/server/settings.hpp>
#include <ferry/net/transport.hpp>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <array>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

namespace ferry::http::server::detail {

class Core;

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  // refuse: over max_connections; answer 503 and close.
  Connection(Core& core, boost::asio::ip::tcp::socket socket, bool refuse);
  void start();
  // The server stops: finish a response being written, close otherwise.
  void shutdown();
  // From any thread (through a Responder).
  void answer(uint64_t seq, Response response);
  const std::string& remote() const { return remote_; }
  bool served() const { return !refuse_; }

 private:
  using clock = std::chrono::steady_clock;
  using Parser = boost::beast::http::request_parser<boost::beast::http::string_body>;
  enum class State { starting, waiting, header, body, handling, writing, closing, closed };

  void wait_request();
  void read_header();
  void on_header(const boost::system::error_code& ec);
  void read_body();
  void dispatch();
  void on_answer(uint64_t seq, Response response);
  void on_read_error(const boost::system::error_code& ec);
  // The server's own answer to a request it refuses; logged and counted.
  void reject(Response response, const std::string& why);
  std::optional<std::pair<Response, std::string>> check_header();
  void write(Response response);
  void linger();
  void drain();
  void close(const std::string& why, LogLevel level);
  void arm(clock::time_point at, std::string reason);
  void disarm();
  void on_deadline();
  std::string describe_request() const;

  Core& core_;
  const ServerSettings& settings_;
  boost::asio::strand<boost::asio::any_io_executor> strand_;
  ferry::net::Transport transport_;
  boost::asio::steady_timer timer_;
  uint64_t timer_generation_ = 0;
  std::string deadline_reason_;
  std::string remote_;
  bool refuse_;

  boost::beast::flat_buffer buffer_;
  std::optional<Parser> parser_;
  std::shared_ptr<boost::beast::http::response<boost::beast::http::string_body>> response_;
  std::optional<Response> refusal_;  // sent once the small body of a refused request is read
  std::array<char, 4096> drain_{};
  size_t drained_ = 0;

  State state_ = State::starting;
  clock::time_point connected_at_;
  clock::time_point started_at_;  // first byte of the current request
  bool first_request_ = true;
  bool keep_alive_ = false;       // this request allows the connection to stay open
  bool head_ = false;
  unsigned version_ = 11;
  std::string method_, target_;   // of the current request, for logs
  uint64_t seq_ = 0;              // the request waiting for its answer (0: none)
  uint64_t next_seq_ = 0;
  bool stopping_ = false;
};

}  // namespace ferry::http::server::detail
