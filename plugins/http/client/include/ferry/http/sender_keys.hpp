// Config keys every HTTP-sending destination shares (http.sender,
// webhook.sender), declared once, and the client settings they give.
#pragma once

#include <ferry/http/client.hpp>
#include <ferry/http/outcome.hpp>
#include <ferry/plugin.hpp>

#include <array>

namespace ferry::http {

namespace keys {

inline constexpr const char* const tls_versions[] = {"1.2", "1.3", nullptr};

inline constexpr std::array transport = {
    ferry::Key::integer("connect_timeout_ms")
        .describe("Give up connecting (TCP and TLS handshake) after this long")
        .fallback("10000")
        .range(1, 3600000),
    ferry::Key::integer("timeout_ms")
        .describe("Give up on a request (connect, send, answer) after this long")
        .fallback("30000")
        .range(1, 3600000),
    ferry::Key::integer("max_response_bytes")
        .describe("Response body bytes kept; a longer body is cut off there")
        .fallback("1048576")
        .range(0, 1073741824),
    ferry::Key::boolean("follow_redirects").describe("Follow 3xx redirects (up to 5, HTTP(S) only)").fallback("false"),
    ferry::Key::string("proxy")
        .describe("Proxy URL, e.g. http://proxy:3128 (default: none; proxy environment variables are ignored)")
        .fallback("\"\""),
    ferry::Key::boolean("tls_verify")
        .describe("Verify the server's certificate and name (keep on outside tests)")
        .fallback("true"),
    ferry::Key::string("tls_ca").describe("PEM file with the CAs to trust (default: the system's)").fallback("\"\""),
    ferry::Key::string("tls_certificate").describe("PEM file with a client certificate, for mutual TLS").fallback("\"\""),
    ferry::Key::string("tls_key").describe("PEM file with the client certificate's private key").fallback("\"\"").secret(),
    ferry::Key::string("tls_min_version").describe("Lowest TLS version accepted").fallback("\"1.2\"").one_of(tls_versions),
    ferry::Key::string_list("success_codes")
        .describe("Statuses that mean sent: \"200\", \"2xx\", \"200-204\"")
        .fallback("[\"2xx\"]")
        .min(1),
    ferry::Key::string_list("retry_codes")
        .describe("Statuses retried later (honouring Retry-After); any other status fails the message")
        .fallback("[\"408\", \"429\", \"5xx\"]"),
    ferry::Key::integer("max_retry_after_ms")
        .describe("Longest Retry-After wait honoured (longer ones are cut to this; 0: ignore Retry-After)")
        .fallback("600000")
        .range(0, 86400000),
};

}  // namespace keys

// The keys a component declares: its own followed by `keys::transport`.
template <size_t N>
constexpr auto with_transport_keys(const std::array<ferry::Key, N>& own) {
  std::array<ferry::Key, N + keys::transport.size()> all{};
  for (size_t i = 0; i < N; ++i) all[i] = own[i];
  for (size_t i = 0; i < keys::transport.size(); ++i) all[N + i] = keys::transport[i];
  return all;
}

struct SendPolicy {
  StatusCodes success;
  StatusCodes retry;
  int64_t max_retry_after_ms = 600000;
};

// Read from a config that declared keys::transport. Throws ferry::Error
// naming the key (unreadable PEM file, bad status code entry).
ClientOptions read_client_options(const ferry::Config& config);
SendPolicy read_send_policy(const ferry::Config& config);

}  // namespace ferry::http
