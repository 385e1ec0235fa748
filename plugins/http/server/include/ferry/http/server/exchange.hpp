// One HTTP exchange as the server's user sees it: the request, the response
// it gives, and the Responder that carries the response back to the
// connection from any thread.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ferry::http::server {

struct Header {
  std::string name;  // as the peer sent it
  std::string value;
};

struct Request {
  std::string method;        // as sent, e.g. "POST"
  std::string target;        // as sent, e.g. "/fhir/Patient?_format=json"
  std::string path;          // the target's path: "/fhir/Patient"
  std::string query;         // after '?', without it; "" if none
  std::string remote;        // "address:port" of the peer
  std::string content_type;  // the Content-Type header, trimmed; "" if none
  std::vector<Header> headers;
  std::string body;

  // The first value of a header, by case-insensitive name.
  std::optional<std::string_view> header(std::string_view name) const;
};

struct Response {
  unsigned status = 200;
  std::string content_type;  // "" with an empty body: no Content-Type
  std::string body;
  std::vector<Header> headers;  // extra headers (Retry-After, Allow, ...)
  bool close = false;           // close the connection once it is written
};

// {"error": "<text>"}, application/json (invalid UTF-8 in text is replaced).
Response json_error(unsigned status, std::string_view text);
// A JSON response from ready JSON text.
Response json_response(unsigned status, std::string json_text);
// text as a JSON string literal, quotes included (invalid UTF-8 replaced).
std::string json_string(std::string_view text);

namespace detail {
class Answer;  // the shared state behind a Responder
}

// Answers one request, once, from any thread. Copies share one answer: the
// first call wins, later ones do nothing. If the client has gone or the
// server has stopped, answering does nothing. When the last copy is
// destroyed without an answer, the client gets 500.
class Responder {
 public:
  explicit Responder(std::shared_ptr<detail::Answer> answer) : answer_(std::move(answer)) {}
  void operator()(Response response) const;

 private:
  std::shared_ptr<detail::Answer> answer_;
};

// Called on a network thread for every request that passed the server's own
// checks (path, method, authentication, limits). It must not block: start
// the work and call the Responder when it is done.
using Handler = std::function<void(Request request, Responder respond)>;

}  // namespace ferry::http::server
