#include <ferry/http/server/source.hpp>

#include <charconv>

namespace ferry::http::server {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// metadata http.status of a response message, if it is a usable final status
std::optional<unsigned> status_of(const ferry::Message& m) {
  const auto v = m.meta("http.status");
  if (!v) return std::nullopt;
  unsigned status = 0;
  const auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), status);
  if (ec != std::errc() || end != v->data() + v->size() || status < 200 || status > 599) return std::nullopt;
  return status;
}

Response not_stored(const AnswerPolicy& p, std::string_view why) {
  auto r = json_error(503, "message not stored: " + std::string(why) + "; send it again later");
  r.headers.push_back({"Retry-After", std::to_string(p.retry_after_seconds)});
  return r;
}

std::string id_json(int64_t id, std::string_view extra_key = {}, std::string_view extra = {}) {
  std::string json = "{\"message_id\": " + std::to_string(id);
  if (!extra_key.empty()) json += ", \"" + std::string(extra_key) + "\": " + json_string(extra);
  return json + "}";
}

int32_t ferry_level(LogLevel level) {
  switch (level) {
    case LogLevel::debug: return FERRY_LOG_DEBUG;
    case LogLevel::info: return FERRY_LOG_INFO;
    case LogLevel::warn: return FERRY_LOG_WARN;
    case LogLevel::error: return FERRY_LOG_ERROR;
  }
  return FERRY_LOG_INFO;
}

}  // namespace

ferry::Message request_message(const Request& req, const std::string& default_type,
                               const std::vector<std::string>& headers) {
  auto m = ferry::Message::create(req.body, req.content_type.empty() ? default_type : req.content_type);
  m.set_meta("http.method", req.method);
  m.set_meta("http.path", req.path);
  m.set_meta("http.query", req.query);
  m.set_meta("http.remote_addr", req.remote);
  for (const auto& name : headers)
    if (const auto v = req.header(name)) m.set_meta("http.header." + lower(name), *v);
  return m;
}

void check_header_names(const std::vector<std::string>& headers) {
  for (const auto& h : headers)
    if (h.empty() || h.find_first_of(" \t\r\n:\"(),/;<=>?@[\\]{}") != std::string::npos)
      throw ferry::Error("headers: \"" + h + "\" is not a header name");
}

SourceSettings read_source_settings(const ferry::Config& c) {
  SourceSettings s;
  s.headers = c.strings("headers");
  check_header_names(s.headers);
  s.default_content_type = c.string("default_content_type");
  s.policy.error_status = static_cast<unsigned>(c.integer("error_status"));
  s.policy.retry_after_seconds = c.integer("retry_after_seconds");
  return s;
}

Response answer_for(const AnswerPolicy& p, const ferry::EmitResult& r) {
  switch (r.status) {
    case FERRY_OK:
      if (p.sync && r.response) {
        Response out;
        out.status = status_of(r.response).value_or(200);
        out.content_type = std::string(r.response.content_type());
        out.body = std::string(r.response.content());
        return out;
      }
      // Stored. Without a response to give, "sync" says 200 when the channel
      // is done with it, and 202 when there is more to say (still pending).
      if (!r.error.empty()) return json_response(202, id_json(r.message_id, "note", r.error));
      return json_response(p.sync ? 200 : 202, id_json(r.message_id));
    case FERRY_FILTERED:
      return json_response(200, id_json(r.message_id, "filtered", r.error));
    case FERRY_ERROR:
      return json_response(p.error_status, "{\"error\": " +
                                               json_string(r.error.empty() ? "the channel failed the message" : r.error) +
                                               ", \"message_id\": " + std::to_string(r.message_id) + "}");
    case FERRY_RETRY:
      return not_stored(p, r.error.empty() ? std::string_view("the channel is busy") : r.error);
    default:
      return json_error(500, "unexpected outcome " + std::to_string(r.status) + ": " + std::string(r.error));
  }
}

Response answer_for_refused(const AnswerPolicy& p, ferry_status_t s) {
  switch (s) {
    case FERRY_RETRY: return not_stored(p, "too many messages in flight (backpressure)");
    case FERRY_STOPPING: return not_stored(p, "the receiver is shutting down");
    default: return json_error(500, "the channel refused the message");
  }
}

Observer observer_for(const ferry::Instance& instance) {
  Observer o;
  o.log = [instance](LogLevel level, std::string_view text) { instance.log(ferry_level(level), text); };
  o.count = [instance](std::string_view name) { instance.count(name); };
  return o;
}

}  // namespace ferry::http::server
