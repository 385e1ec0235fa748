#include <ferry/http/server/exchange.hpp>

#include <nlohmann/json.hpp>

#include <strings.h>

#include "answer.hpp"

namespace ferry::http::server {

std::optional<std::string_view> Request::header(std::string_view name) const {
  for (const auto& h : headers)
    if (h.name.size() == name.size() && strncasecmp(h.name.data(), name.data(), name.size()) == 0)
      return std::string_view(h.value);
  return std::nullopt;
}

std::string json_string(std::string_view text) {
  // Peers can put any bytes into a path or header we quote back: replace
  // invalid UTF-8 rather than fail.
  return nlohmann::json(std::string(text)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Response json_response(unsigned status, std::string json_text) {
  Response r;
  r.status = status;
  r.content_type = "application/json";
  r.body = std::move(json_text);
  return r;
}

Response json_error(unsigned status, std::string_view text) {
  return json_response(status, "{\"error\": " + json_string(text) + "}");
}

void Responder::operator()(Response response) const { answer_->deliver(std::move(response)); }

}  // namespace ferry::http::server
