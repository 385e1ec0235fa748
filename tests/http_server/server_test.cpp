// The server's lifetime and fairness rules, on real sockets (127.0.0.1, a
// port the kernel picks).
#include <ferry/http/server/server.hpp>

#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

using namespace ferry::http::server;
using namespace std::chrono_literals;

namespace {

// A blocking client socket with a receive timeout.
class Client {
 public:
  explicit Client(uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    timeval tv{5, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
  }
  ~Client() { ::close(fd_); }
  void send(const std::string& s) { REQUIRE(::send(fd_, s.data(), s.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(s.size())); }
  // Reads until one whole response (headers + Content-Length body) is in,
  // or the peer closes, or 5 s pass.
  std::string response() {
    for (;;) {
      const size_t end = buffer_.find("\r\n\r\n");
      if (end != std::string::npos) {
        size_t length = 0;
        const size_t cl = buffer_.find("Content-Length: ");
        if (cl != std::string::npos && cl < end) length = std::stoul(buffer_.substr(cl + 16));
        if (buffer_.size() >= end + 4 + length) {
          std::string out = buffer_.substr(0, end + 4 + length);
          buffer_.erase(0, end + 4 + length);
          return out;
        }
      }
      char chunk[4096];
      const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
      if (n <= 0) return std::exchange(buffer_, {});
      buffer_.append(chunk, static_cast<size_t>(n));
    }
  }
  bool closed_by_peer() {
    char c;
    return ::recv(fd_, &c, 1, 0) == 0;
  }

 private:
  int fd_ = -1;
  std::string buffer_;
};

ServerSettings settings() {
  ServerSettings s;
  s.paths = PathSet({"/in"});
  s.methods = {"POST"};
  s.header_timeout_ms = 2000;
  s.request_timeout_ms = 2000;
  return s;
}

const std::string post = "POST /in HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello";

}  // namespace

TEST_CASE("answers may come later from another thread") {
  std::vector<std::thread> later;
  Server server(settings(), [&](Request r, Responder respond) {
    later.emplace_back([r = std::move(r), respond] {
      std::this_thread::sleep_for(50ms);
      respond(json_response(200, "{\"echo\": \"" + r.body + "\"}"));
    });
  }, {});
  server.start();
  Client c(server.port());
  c.send(post);
  const auto res = c.response();
  CHECK(res.starts_with("HTTP/1.1 200 OK"));
  CHECK(res.find("{\"echo\": \"hello\"}") != std::string::npos);
  c.send(post);  // the same connection again (keep-alive)
  CHECK(c.response().starts_with("HTTP/1.1 200 OK"));
  server.stop();
  for (auto& t : later) t.join();
}

TEST_CASE("a Responder dropped without an answer gives 500 and a second answer is ignored") {
  std::atomic<int> n{0};
  Server server(settings(), [&](Request, Responder respond) {
    if (n++ == 0) return;  // dropped
    respond(json_response(201, "{}"));
    respond(json_response(202, "{}"));
  }, {});
  server.start();
  Client c(server.port());
  c.send(post);
  CHECK(c.response().starts_with("HTTP/1.1 500"));
  c.send(post);
  CHECK(c.response().starts_with("HTTP/1.1 201"));
  server.stop();
}

TEST_CASE("no answer within response_timeout_ms gives 504 and a late answer is dropped") {
  auto s = settings();
  s.response_timeout_ms = 100;
  std::mutex m;
  std::vector<Responder> held;
  Server server(s, [&](Request, Responder respond) {
    std::lock_guard lock(m);
    held.push_back(respond);
  }, {});
  server.start();
  Client c(server.port());
  c.send(post);
  CHECK(c.response().starts_with("HTTP/1.1 504"));
  {
    std::lock_guard lock(m);
    held.front()(json_response(200, "{}"));  // too late: ignored
  }
  c.send(post);
  CHECK(c.response().starts_with("HTTP/1.1 504"));
  server.stop();
}

TEST_CASE("after stop the handler is never called and Responders do nothing") {
  std::mutex m;
  std::optional<Responder> held;
  std::atomic<int> calls{0};
  auto server = std::make_unique<Server>(settings(), [&](Request, Responder respond) {
    ++calls;
    std::lock_guard lock(m);
    held = respond;
  }, Observer{});
  server->start();
  const uint16_t port = server->port();
  Client c(port);
  c.send(post);
  for (int i = 0; i < 200 && calls == 0; ++i) std::this_thread::sleep_for(10ms);
  REQUIRE(calls == 1);
  server->stop();
  CHECK(c.closed_by_peer());
  (*held)(json_response(200, "{}"));  // the server is gone: nothing happens
  server.reset();                     // and destroying it with a Responder alive is fine
  std::lock_guard lock(m);
  held.reset();  // the last copy goes after the server: nothing happens either
  CHECK(calls == 1);
}

TEST_CASE("a slow client does not hold up another one") {
  Server server(settings(), [](Request, Responder respond) { respond(json_response(200, "{}")); }, {});
  server.start();
  Client slow(server.port());
  slow.send("POST /in HTTP/1.1\r\nHost: t\r\nContent-Le");  // and then nothing
  const auto t0 = std::chrono::steady_clock::now();
  Client fast(server.port());
  fast.send(post);
  CHECK(fast.response().starts_with("HTTP/1.1 200"));
  CHECK(std::chrono::steady_clock::now() - t0 < 1s);
  // The slow one is told and dropped at header_timeout_ms.
  CHECK(slow.response().starts_with("HTTP/1.1 408"));
  server.stop();
}

TEST_CASE("connections beyond max_connections get 503") {
  auto s = settings();
  s.max_connections = 1;
  std::vector<std::string> logs;
  std::mutex m;
  Observer o;
  o.log = [&](LogLevel, std::string_view text) {
    std::lock_guard lock(m);
    logs.emplace_back(text);
  };
  Server server(s, [](Request, Responder respond) { respond(json_response(200, "{}")); }, o);
  server.start();
  Client first(server.port());
  first.send(post);
  CHECK(first.response().starts_with("HTTP/1.1 200"));
  Client second(server.port());
  CHECK(second.response().starts_with("HTTP/1.1 503"));
  first.send(post);  // the first keeps being served
  CHECK(first.response().starts_with("HTTP/1.1 200"));
  server.stop();
  std::lock_guard lock(m);
  bool said = false;
  for (const auto& l : logs) said = said || l.find("refused: max_connections (1) reached") != std::string::npos;
  CHECK(said);
}
