// webhook.receiver: an HTTP(S) server source for signed webhooks. A request
// whose signature (HMAC-SHA256, schemes in signature.hpp) is missing or wrong
// is answered 401, logged and counted, and never emitted. A good one becomes
// a message; its delivery id (a header) is the message's dedupe_key, so a
// delivery sent again is answered 200 with the stored id and not processed
// twice, across restarts too.
#pragma once

#include <ferry/http/server/keys.hpp>
#include <ferry/http/server/server.hpp>
#include <ferry/http/server/source.hpp>
#include <ferry/plugin.hpp>

#include <optional>
#include <string>
#include <vector>

#include "signature_keys.hpp"

namespace webhook {

class Receiver : public ferry::Source {
 public:
  static constexpr const char* type = "webhook.receiver";
  static constexpr const char* version = "1.0.0";
  static constexpr const char* description = "Receives signed webhooks (HMAC-SHA256) over HTTP(S), each delivery once";
  static constexpr std::array config_keys = ferry::http::server::concat(
      ferry::http::server::concat(ferry::http::server::server_keys("\"/\""), ferry::http::server::source_keys()),
      ferry::http::server::concat(signature_keys(), std::array{
          ferry::Key::integer("tolerance_seconds")
              .describe("generic: refuse signatures whose timestamp is further than this from now (0: no limit)")
              .fallback("300")
              .range(0, 31536000),
          ferry::Key::string("id_header")
              .describe("Header with the delivery id used to drop repeats (default: X-GitHub-Delivery for github, else X-Webhook-Id)")
              .fallback("\"\""),
          ferry::Key::boolean("require_id").describe("Refuse (400) a delivery without the id header").fallback("false"),
      }));

  Receiver(ferry::Instance self, const ferry::Config& config);
  ~Receiver() override;
  void start() override;
  void stop() override;

 private:
  void handle(ferry::http::server::Request request, ferry::http::server::Responder respond);

  std::string secret_;
  SignatureFormat format_;
  int64_t tolerance_seconds_;
  std::string id_header_;
  bool require_id_;
  ferry::http::server::SourceSettings source_;
  std::optional<ferry::http::server::Server> server_;
  std::string describe_;
};

}  // namespace webhook
