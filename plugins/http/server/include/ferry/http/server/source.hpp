// What the HTTP source components (http.listener, webhook.receiver) share:
// a request as a Ferry message, the HTTP answer for each emit outcome, and
// the server's log and counters routed to the instance.
#pragma once

#include <ferry/plugin.hpp>

#include <array>
#include <string>
#include <vector>

#include "exchange.hpp"
#include "settings.hpp"

namespace ferry::http::server {

// The body with its content type (default_type when it has none), and the
// metadata http.method, http.path, http.query, http.remote_addr and
// http.header.<lower-case name> for each of `headers` the request carries.
ferry::Message request_message(const Request& request, const std::string& default_type,
                               const std::vector<std::string>& headers);

// Throws ferry::Error when a name in `headers` (key "headers") is not a header name.
void check_header_names(const std::vector<std::string>& headers);

struct AnswerPolicy {
  bool sync = false;            // OK: the channel's response message, if any, instead of 202
  unsigned error_status = 422;  // the channel failed the (stored) message
  int64_t retry_after_seconds = 1;
};

// The keys of how a source component turns requests into messages and
// outcomes into answers, declared once for http.listener and webhook.receiver.
constexpr auto source_keys() {
  using K = ferry::Key;
  return std::array{
      K::string_list("headers").describe("Request headers copied into metadata as http.header.<lower-case name>").fallback("[]"),
      K::string("default_content_type").describe("Content type of a request that has none").fallback("\"application/octet-stream\"").min(1),
      K::integer("error_status").describe("Status for a message the channel stored but failed").fallback("422").range(400, 599),
      K::integer("retry_after_seconds")
          .describe("Retry-After of a 503 (message not stored: busy, store down, stopping)")
          .fallback("1")
          .range(0, 86400),
  };
}

struct SourceSettings {
  std::vector<std::string> headers;
  std::string default_content_type;
  AnswerPolicy policy;  // sync stays false: only http.listener has that choice
};
// Reads source_keys(); throws ferry::Error naming the key at fault.
SourceSettings read_source_settings(const ferry::Config& config);

// The answer once the emit completed:
//   OK        202 {"message_id": N} (sync: the response message with its content
//             type and status, metadata http.status, else 200), plus "note" when
//             the channel said more ("duplicate of message N", still pending, ...)
//   FILTERED  200 {"message_id": N, "filtered": reason}
//   ERROR     error_status {"error": reason, "message_id": N}
//   RETRY     503 + Retry-After (not stored)
server::Response answer_for(const AnswerPolicy& policy, const ferry::EmitResult& result);

// The answer when emit() itself did not take the message (busy, stopping):
// never a 2xx.
server::Response answer_for_refused(const AnswerPolicy& policy, ferry_status_t emit_status);

// Server log lines and counters to the instance's log and counters.
Observer observer_for(const ferry::Instance& instance);

}  // namespace ferry::http::server
