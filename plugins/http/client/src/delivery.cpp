#include <ferry/http/delivery.hpp>

#include <chrono>
#include <map>
#include <memory>

namespace ferry::http {

ferry::Message response_message(const Response& r, std::optional<int64_t> retry_after_s) {
  const auto type = r.header("content-type");
  ferry::Message m = ferry::Message::create(r.body, type && !type->empty() ? *type : "application/octet-stream");
  m.set_meta("http.status", std::to_string(r.status));
  if (!r.reason.empty()) m.set_meta("http.reason", r.reason);
  std::map<std::string, std::string> joined;  // repeated headers are one value, as HTTP allows
  for (const auto& [name, value] : r.headers) {
    auto [it, fresh] = joined.try_emplace(name, value);
    if (!fresh) it->second += ", " + value;
  }
  for (const auto& [name, value] : joined) m.set_meta("http.header." + name, value);
  if (retry_after_s) m.set_meta("http.retry_after", std::to_string(*retry_after_s));
  if (r.truncated) m.set_meta("http.body_truncated", "true");
  return m;
}

void send_delivery(Client& client, const SendPolicy& policy, const ferry::Instance& self, Request request,
                   ferry::Delivery& delivery) {
  auto owned = std::make_shared<ferry::Delivery>(std::move(delivery));
  client.send(std::move(request), [owned, &client, &policy, self](Result result) {
    const Outcome o = judge(result, policy.success, policy.retry, std::time(nullptr));
    if (o.retry_after_s && policy.max_retry_after_ms > 0) {
      const int64_t wait_ms = std::min<int64_t>(*o.retry_after_s * 1000, policy.max_retry_after_ms);
      client.hold_until(std::chrono::steady_clock::now() + std::chrono::milliseconds(wait_ms));
    }
    ferry::Message response;
    std::string error = o.error;
    try {
      if (result.kind == Result::Kind::response) response = response_message(result.response, o.retry_after_s);
    } catch (const std::exception& e) {  // out of memory: complete anyway, without the response
      error += (error.empty() ? "" : "; ") + std::string("response not kept: ") + e.what();
    }
    if (result.kind == Result::Kind::response)
      self.count(std::string("http_") + std::to_string(result.response.status / 100) + "xx");
    owned->complete(o.status, response, error);
  });
}

}  // namespace ferry::http
