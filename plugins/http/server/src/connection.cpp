#include "connection.hpp"

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include <strings.h>

#include "core.hpp"

namespace ferry::http::server::detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using boost::system::error_code;

namespace {

constexpr size_t read_chunk = 8192;
// After a last response: how long to wait for the peer to finish sending,
// and how much to read and throw away meanwhile, so it sees our answer
// instead of a reset.
constexpr auto linger_time = std::chrono::seconds(2);
constexpr size_t linger_bytes = 16 * 1024 * 1024;
// The largest body read and dropped after a refusal to keep the connection.
constexpr uint64_t small_body_bytes = 64 * 1024;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
  return out;
}

bool is_disconnect(const error_code& ec) {
  return ec == asio::error::eof || ec == asio::error::connection_reset || ec == asio::error::broken_pipe ||
         ec == asio::ssl::error::stream_truncated;
}

bool is_http_error(const error_code& ec) {
  return ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category();
}

}  // namespace

Connection::Connection(Core& core, asio::ip::tcp::socket socket, bool refuse)
    : core_(core),
      settings_(core.settings()),
      strand_(socket.get_executor()),
      transport_(std::move(socket), core.settings().tls),
      timer_(strand_),
      refuse_(refuse),
      buffer_(core.settings().max_header_bytes + 64 * 1024) {
  error_code ec;
  const auto ep = transport_.socket().remote_endpoint(ec);
  remote_ = ec ? "unknown" : ep.address().to_string() + ":" + std::to_string(ep.port());
}

void Connection::start() {
  asio::post(strand_, [self = shared_from_this()] {
    self->connected_at_ = clock::now();
    const auto& s = self->settings_;
    if (self->refuse_) {
      self->core_.log(LogLevel::warn, "connection from " + self->remote_ + " refused: max_connections (" +
                                          std::to_string(s.max_connections) + ") reached");
      self->core_.count("refused");
      if (self->transport_.secure()) return self->close({}, LogLevel::debug);  // no TLS work for a refused peer
      auto r = json_error(503, "too many connections; try again later");
      r.headers.push_back({"Retry-After", "1"});
      r.close = true;
      return self->write(std::move(r));
    }
    self->arm(self->connected_at_ + std::chrono::milliseconds(s.header_timeout_ms),
              self->transport_.secure() ? "no TLS handshake and request within header_timeout_ms"
                                        : "no request within header_timeout_ms");
    if (!self->transport_.secure()) return self->wait_request();
    self->transport_.async_handshake(
        asio::ssl::stream_base::server, asio::bind_executor(self->strand_, [self](const error_code& ec) {
          if (self->state_ == State::closed) return;
          if (ec) {
            self->core_.count("tls_failures");
            return self->close("TLS handshake failed: " + ec.message(), LogLevel::warn);
          }
          self->wait_request();
        }));
  });
}

void Connection::shutdown() {
  asio::post(strand_, [self = shared_from_this()] {
    self->stopping_ = true;
    if (self->state_ == State::writing) return;  // a response going out; then it closes
    self->close("server stopping", LogLevel::debug);
  });
}

void Connection::answer(uint64_t seq, Response response) {
  asio::post(strand_, [self = shared_from_this(), seq, response = std::move(response)]() mutable {
    self->on_answer(seq, std::move(response));
  });
}

// Between requests. Bytes of a pipelined request may already be buffered.
void Connection::wait_request() {
  state_ = State::waiting;
  if (buffer_.size() > 0) return read_header();
  if (!first_request_) arm(clock::now() + std::chrono::milliseconds(settings_.idle_timeout_ms), "idle for idle_timeout_ms");
  transport_.async_read_some(
      buffer_.prepare(read_chunk),
      asio::bind_executor(strand_, [self = shared_from_this()](const error_code& ec, size_t n) {
        if (self->state_ == State::closed) return;
        if (ec) return self->on_read_error(ec);
        self->buffer_.commit(n);
        self->read_header();
      }));
}

void Connection::read_header() {
  state_ = State::header;
  started_at_ = first_request_ ? connected_at_ : clock::now();
  method_.clear();
  target_.clear();
  version_ = 11;
  refusal_.reset();
  parser_.emplace();
  parser_->header_limit(static_cast<uint32_t>(settings_.max_header_bytes));
  parser_->body_limit(settings_.max_body_bytes);
  arm(started_at_ + std::chrono::milliseconds(settings_.header_timeout_ms),
      "request headers not complete within header_timeout_ms");
  bhttp::async_read_header(transport_, buffer_, *parser_,
                           asio::bind_executor(strand_, [self = shared_from_this()](const error_code& ec, size_t) {
                             if (self->state_ == State::closed) return;
                             self->on_header(ec);
                           }));
}

void Connection::on_header(const error_code& ec) {
  if (ec) return on_read_error(ec);
  first_request_ = false;
  core_.count("requests");
  const auto& req = parser_->get();
  method_ = std::string(req.method_string());
  target_ = std::string(req.target());
  version_ = req.version();
  head_ = req.method() == bhttp::verb::head;
  keep_alive_ = settings_.keep_alive && req.keep_alive();
  if (auto refusal = check_header()) return reject(std::move(refusal->first), refusal->second);
  if (parser_->is_done()) return dispatch();
  if (version_ >= 11 && req.find(bhttp::field::expect) != req.end()) {
    // The client waits for this before it sends the body (curl does for
    // large bodies): the checks above passed, so go ahead.
    static const std::string go_ahead = "HTTP/1.1 100 Continue\r\n\r\n";
    state_ = State::body;
    arm(started_at_ + std::chrono::milliseconds(settings_.request_timeout_ms),
        "request not complete within request_timeout_ms");
    transport_.async_write(asio::buffer(go_ahead),
                           asio::bind_executor(strand_, [self = shared_from_this()](const error_code& e, size_t) {
                             if (self->state_ != State::body || e == asio::error::operation_aborted) return;
                             if (e) return self->close("write failed: " + e.message(), LogLevel::info);
                             self->read_body();
                           }));
    return;
  }
  read_body();
}

std::optional<std::pair<Response, std::string>> Connection::check_header() {
  const auto& req = parser_->get();
  using Refusal = std::pair<Response, std::string>;
  if (version_ >= 11 && req.find(bhttp::field::host) == req.end())
    return Refusal{json_error(400, "missing Host header"), "400 missing Host header"};
  const auto target = split_target(target_);
  if (!settings_.paths.matches(target.path))
    return Refusal{json_error(404, "no such path: " + target.path), "404 no such path"};
  bool allowed = false;
  for (const auto& m : settings_.methods) allowed = allowed || m == method_;
  if (!allowed) {
    const std::string list = join(settings_.methods);
    auto r = json_error(405, "method " + method_ + " is not allowed here; allowed: " + list);
    r.headers.push_back({"Allow", list});
    return Refusal{std::move(r), "405 method not allowed"};
  }
  if (settings_.auth.mode != AuthMode::none) {
    const auto it = req.find(bhttp::field::authorization);
    const auto result =
        authorize(settings_.auth, it == req.end() ? std::nullopt : std::optional<std::string_view>(it->value()));
    if (!result.ok) {
      core_.count("unauthorized");
      auto r = json_error(401, "unauthorized: " + result.reason);
      r.headers.push_back({"WWW-Authenticate", challenge(settings_.auth)});
      return Refusal{std::move(r), "401 unauthorized: " + result.reason};
    }
  }
  if (const auto it = req.find(bhttp::field::content_encoding); it != req.end() && !iequals(trim(it->value()), "identity")) {
    const std::string coding(trim(it->value()));
    return Refusal{json_error(415, "Content-Encoding " + coding + " is not supported; send the body uncompressed"),
                   "415 Content-Encoding " + coding};
  }
  if (!settings_.content_types.empty()) {
    const std::string_view type = trim(req[bhttp::field::content_type]);
    const std::string media = lower(trim(type.substr(0, type.find(';'))));
    bool accepted = false;
    for (const auto& t : settings_.content_types) accepted = accepted || lower(t) == media;
    if (!accepted)
      return Refusal{json_error(415, "content type \"" + std::string(type) + "\" is not accepted here; accepted: " +
                                         join(settings_.content_types)),
                     "415 content type not accepted"};
  }
  if (const auto it = req.find(bhttp::field::expect); it != req.end() && !iequals(trim(it->value()), "100-continue"))
    return Refusal{json_error(417, "Expect: " + std::string(it->value()) + " is not supported"), "417 Expect"};
  return std::nullopt;
}

void Connection::read_body() {
  state_ = State::body;
  arm(started_at_ + std::chrono::milliseconds(settings_.request_timeout_ms),
      "request not complete within request_timeout_ms");
  bhttp::async_read(transport_, buffer_, *parser_,
                    asio::bind_executor(strand_, [self = shared_from_this()](const error_code& ec, size_t) {
                      if (self->state_ == State::closed) return;
                      if (ec) return self->on_read_error(ec);
                      if (self->refusal_) return self->write(*std::exchange(self->refusal_, std::nullopt));
                      self->dispatch();
                    }));
}

void Connection::dispatch() {
  state_ = State::handling;
  auto message = parser_->release();
  parser_.reset();
  Request request;
  request.method = method_;
  request.target = target_;
  auto target = split_target(target_);
  request.path = std::move(target.path);
  request.query = std::move(target.query);
  request.remote = remote_;
  request.content_type = std::string(trim(message[bhttp::field::content_type]));
  for (const auto& f : message) request.headers.push_back({std::string(f.name_string()), std::string(f.value())});
  request.body = std::move(message.body());
  seq_ = ++next_seq_;
  arm(clock::now() + std::chrono::milliseconds(settings_.response_timeout_ms), "no answer within response_timeout_ms");
  Responder respond(std::make_shared<Answer>(weak_from_this(), seq_, core_.gate()));
  try {
    core_.handler()(std::move(request), respond);
  } catch (const std::exception& e) {
    core_.log(LogLevel::error, describe_request() + ": handler failed: " + e.what());
    respond(json_error(500, std::string("internal error: ") + e.what()));
  }
}

void Connection::on_answer(uint64_t seq, Response response) {
  if (state_ != State::handling || seq != seq_) return;  // late (after a 504) or the connection moved on
  seq_ = 0;
  write(std::move(response));
}

void Connection::on_read_error(const error_code& ec) {
  using he = bhttp::error;
  if (ec == asio::error::operation_aborted) return;  // our own close or cancel
  const bool between = state_ == State::waiting && buffer_.size() == 0;
  if (ec == he::end_of_stream || (between && is_disconnect(ec)))
    return close("peer closed the connection", LogLevel::debug);
  if (is_disconnect(ec) || ec == he::partial_message)
    return close("peer closed the connection in the middle of a request", LogLevel::info);
  if (ec == he::header_limit || ec == he::buffer_overflow)
    return reject(json_error(431, "request headers larger than max_header_bytes (" +
                                      std::to_string(settings_.max_header_bytes) + ")"),
                  "431 headers larger than max_header_bytes");
  if (ec == he::body_limit)
    return reject(json_error(413, "request body larger than max_body_bytes (" + std::to_string(settings_.max_body_bytes) + ")"),
                  "413 body larger than max_body_bytes");
  if (is_http_error(ec)) return reject(json_error(400, "malformed HTTP request: " + ec.message()), "400 malformed request: " + ec.message());
  close("read failed: " + ec.message(), LogLevel::info);
}

void Connection::reject(Response response, const std::string& why) {
  core_.log(LogLevel::warn, describe_request() + " refused: " + why);
  core_.count("rejected");
  if (parser_ && !parser_->is_done()) {
    // A small body of a well-formed request (wrong path, method, credentials
    // or type) is read and dropped, so the connection stays usable: a client
    // can try again with credentials on it.
    boost::optional<uint64_t> length;
    if (parser_->is_header_done()) length = parser_->content_length();
    const bool small = length && *length <= small_body_bytes && !parser_->get().count(bhttp::field::expect);
    const unsigned s = response.status;
    if (small && !response.close && (s == 401 || s == 404 || s == 405 || s == 415)) {
      refusal_ = std::move(response);
      return read_body();
    }
    // Otherwise the rest of the request is unread: its bytes cannot be told
    // apart from a next request, so this is the connection's last answer.
    response.close = true;
  }
  write(std::move(response));
}

void Connection::write(Response r) {
  state_ = State::writing;
  keep_alive_ = keep_alive_ && !r.close && !stopping_;
  auto res = std::make_shared<bhttp::response<bhttp::string_body>>();
  try {
    if (r.status < 200 || r.status > 599) r = json_error(500, "invalid response status " + std::to_string(r.status));
    res->version(version_ == 10 ? 10 : 11);
    res->result(r.status);
    res->set(bhttp::field::server, "Ferry");
    for (const auto& h : r.headers) res->set(h.name, h.value);
    const bool bodiless = r.status == 204 || r.status == 304;
    if (!r.content_type.empty() && !bodiless) res->set(bhttp::field::content_type, r.content_type);
    if (!bodiless) res->body() = std::move(r.body);
    res->keep_alive(keep_alive_);
    res->prepare_payload();
    if (head_) {  // the length of what GET would give, and no body
      const size_t n = res->body().size();
      res->body().clear();
      res->content_length(n);
    }
  } catch (const std::exception& e) {  // e.g. a header value with a line break
    core_.log(LogLevel::error, describe_request() + ": cannot build the response: " + e.what());
    res = std::make_shared<bhttp::response<bhttp::string_body>>(bhttp::status::internal_server_error, 11);
    res->set(bhttp::field::content_type, "application/json");
    res->body() = "{\"error\": \"invalid response\"}";
    keep_alive_ = false;
    res->keep_alive(false);
    res->prepare_payload();
  }
  response_ = std::move(res);
  arm(clock::now() + std::chrono::milliseconds(settings_.request_timeout_ms),
      "response not taken by the peer within request_timeout_ms");
  bhttp::async_write(transport_, *response_,
                     asio::bind_executor(strand_, [self = shared_from_this()](const error_code& ec, size_t) {
                       if (self->state_ == State::closed) return;
                       self->response_.reset();
                       if (ec) return self->close("write failed: " + ec.message(), LogLevel::info);
                       self->disarm();
                       if (self->keep_alive_ && !self->stopping_) return self->wait_request();
                       self->linger();
                     }));
}

// The last response is out: let the peer read it before the socket goes.
void Connection::linger() {
  state_ = State::closing;
  arm(clock::now() + linger_time, {});
  if (transport_.secure()) {  // close_notify, then wait (bounded) for the peer's
    transport_.tls()->async_shutdown(asio::bind_executor(strand_, [self = shared_from_this()](const error_code&) {
      self->close({}, LogLevel::debug);
    }));
    return;
  }
  error_code ignored;
  transport_.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
  drain();
}

// Read and drop what the peer still sends, until it closes or the linger
// deadline (armed in linger()) ends it.
void Connection::drain() {
  transport_.async_read_some(asio::buffer(drain_),
                             asio::bind_executor(strand_, [self = shared_from_this()](const error_code& ec, size_t n) {
                               if (self->state_ == State::closed) return;
                               self->drained_ += n;
                               if (ec || self->drained_ > linger_bytes) return self->close({}, LogLevel::debug);
                               self->drain();
                             }));
}

void Connection::close(const std::string& why, LogLevel level) {
  if (state_ == State::closed) return;
  state_ = State::closed;
  disarm();
  transport_.close();
  if (!why.empty()) core_.log(level, "connection from " + remote_ + " closed: " + why);
  core_.closed(shared_from_this());
}

void Connection::arm(clock::time_point at, std::string reason) {
  deadline_reason_ = std::move(reason);
  const uint64_t generation = ++timer_generation_;
  timer_.expires_at(at);
  timer_.async_wait(asio::bind_executor(strand_, [self = shared_from_this(), generation](const error_code& ec) {
    if (ec || generation != self->timer_generation_ || self->state_ == State::closed) return;
    self->on_deadline();
  }));
}

void Connection::disarm() {
  ++timer_generation_;
  timer_.cancel();
}

void Connection::on_deadline() {
  switch (state_) {
    case State::handling:
      core_.log(LogLevel::warn, describe_request() + ": " + deadline_reason_ + " (" +
                                    std::to_string(settings_.response_timeout_ms) + " ms); answered 504");
      core_.count("timeouts");
      return on_answer(seq_, json_error(504, "no answer within response_timeout_ms"));
    case State::closing:
      return close({}, LogLevel::debug);
    case State::waiting:
      if (!first_request_) return close(deadline_reason_, LogLevel::debug);  // an idle keep-alive connection
      [[fallthrough]];
    case State::header:
    case State::body: {
      // Too slow: say so (408) and close. The read still pending ends with
      // operation_aborted, which changes nothing.
      core_.count("timeouts");
      core_.log(LogLevel::warn, "connection from " + remote_ + " closed: " + deadline_reason_ +
                                    (method_.empty() ? std::string() : " (" + method_ + " " + target_.substr(0, 200) + ")"));
      error_code ignored;
      transport_.socket().cancel(ignored);
      auto r = json_error(408, deadline_reason_);
      r.close = true;
      return write(std::move(r));
    }
    default:
      core_.count("timeouts");
      close(deadline_reason_, LogLevel::warn);
  }
}

std::string Connection::describe_request() const {
  std::string target = target_.size() > 200 ? target_.substr(0, 200) + "..." : target_;
  return remote_ + (method_.empty() ? std::string() : " " + method_ + " " + target);
}

Answer::~Answer() {
  if (done_) return;
  try {
    deliver(json_error(500, "the request was dropped without an answer"));
  } catch (...) {  // out of memory: the response timeout answers instead
  }
}

void Answer::deliver(Response response) {
  if (done_.exchange(true)) return;
  gate_->run([&] {
    if (auto c = connection_.lock()) c->answer(seq_, std::move(response));
  });
}

}  // namespace ferry::http::server::detail
