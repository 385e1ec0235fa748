// ferry_http_sink: a fast HTTP/1.1 target for the HL7-over-MLLP ->
// http.sender benchmark. It answers every request "200 OK" (keep-alive) and
// appends the request body, as it is, to --out, so ferry_mllp_load's
// --delivered-file check (the file grows by every payload byte sent) works
// as it does for file.writer. Boost.Beast on one thread (pin it with
// taskset); 127.0.0.1 only; runs until SIGTERM/SIGINT and then prints the
// number of requests it served.
//
//   ferry_http_sink --port-file PORTFILE --out BODIES [--port N]
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

struct Sink {
  int out_fd = -1;
  uint64_t requests = 0;
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, Sink& sink) : socket_(std::move(socket)), sink_(sink) {}
  void start() { read(); }

 private:
  void read() {
    request_ = {};
    parser_.emplace();
    parser_->body_limit(64 * 1024 * 1024);
    http::async_read(socket_, buffer_, *parser_, [self = shared_from_this()](boost::system::error_code ec, size_t) {
      if (ec) return;  // closed by the client, or garbage: drop the connection
      self->answer();
    });
  }
  void answer() {
    request_ = parser_->release();
    const std::string& body = request_.body();
    // One write per body: the file only ever holds whole bodies.
    if (!body.empty() && ::write(sink_.out_fd, body.data(), body.size()) != static_cast<ssize_t>(body.size())) {
      std::perror("write");
      std::exit(1);
    }
    ++sink_.requests;
    response_ = {};
    response_.version(request_.version());
    response_.result(http::status::ok);
    response_.set(http::field::content_type, "text/plain");
    response_.keep_alive(request_.keep_alive());
    response_.body() = "ok";
    response_.prepare_payload();
    http::async_write(socket_, response_, [self = shared_from_this()](boost::system::error_code ec, size_t) {
      if (ec || !self->response_.keep_alive()) return;
      self->read();
    });
  }

  tcp::socket socket_;
  Sink& sink_;
  boost::beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  http::request<http::string_body> request_;
  http::response<http::string_body> response_;
};

void accept(tcp::acceptor& acceptor, Sink& sink) {
  acceptor.async_accept([&acceptor, &sink](boost::system::error_code ec, tcp::socket socket) {
    if (ec) return;
    socket.set_option(tcp::no_delay(true));
    std::make_shared<Session>(std::move(socket), sink)->start();
    accept(acceptor, sink);
  });
}

}  // namespace

int main(int argc, char** argv) {
  std::string port_file, out;
  unsigned short port = 0;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i], v = argv[i + 1];
    if (a == "--port-file") port_file = v;
    else if (a == "--out") out = v;
    else if (a == "--port") port = static_cast<unsigned short>(std::stoi(v));
    else {
      std::cerr << "unknown option " << a << "\n";
      return 2;
    }
  }
  if (port_file.empty() || out.empty()) {
    std::cerr << "usage: ferry_http_sink --port-file PORTFILE --out BODIES [--port N]\n";
    return 2;
  }
  Sink sink;
  sink.out_fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  if (sink.out_fd < 0) {
    std::perror(out.c_str());
    return 1;
  }
  asio::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  {
    std::ofstream f(port_file + ".tmp");
    f << acceptor.local_endpoint().port() << "\n";
  }
  std::rename((port_file + ".tmp").c_str(), port_file.c_str());
  asio::signal_set signals(io, SIGTERM, SIGINT);
  signals.async_wait([&](boost::system::error_code, int) { io.stop(); });
  accept(acceptor, sink);
  io.run();
  std::cout << "requests " << sink.requests << "\n";
  ::close(sink.out_fd);
  return 0;
}
