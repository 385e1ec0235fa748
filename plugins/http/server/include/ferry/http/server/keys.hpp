// The config keys every HTTP server component shares (http.listener,
// webhook.receiver), declared once, and the ServerSettings they make.
#pragma once

#include <ferry/plugin.hpp>

#include <array>
#include <cstddef>

#include "settings.hpp"

namespace ferry::http::server {

inline constexpr const char* const auth_modes[] = {"none", "basic", "bearer", nullptr};
inline constexpr const char* const tls_versions[] = {"1.2", "1.3", nullptr};

// default_path: JSON text, e.g. "\"/\"".
constexpr auto server_keys(const char* default_path) {
  using K = ferry::Key;
  return std::array{
      K::string("host").describe("IP address to listen on (0.0.0.0: all)").fallback("\"127.0.0.1\""),
      K::integer("port").describe("TCP port").required().range(1, 65535),
      K::json("path").describe("Path answered, or a list; \"/prefix/*\" matches everything below /prefix/").fallback(default_path),
      K::string_list("methods").describe("HTTP methods accepted; others get 405").fallback("[\"POST\"]").min(1),
      K::string_list("content_types").describe("Media types accepted (empty: any); others get 415").fallback("[]"),
      K::integer("max_body_bytes").describe("Largest request body; larger gets 413").fallback("10485760").range(0, 1073741824),
      K::integer("max_header_bytes").describe("Largest request line plus headers; larger gets 431").fallback("16384").range(1024, 1048576),
      K::boolean("keep_alive").describe("Keep connections open between requests").fallback("true"),
      K::integer("header_timeout_ms").describe("Request line and headers must arrive within this time").fallback("10000").range(1, 3600000),
      K::integer("request_timeout_ms").describe("The whole request must arrive (and a response be taken) within this time").fallback("60000").range(1, 3600000),
      K::integer("idle_timeout_ms").describe("Close a kept-alive connection idle this long").fallback("60000").range(1, 86400000),
      K::integer("response_timeout_ms").describe("Answer 504 if the channel has not answered within this time").fallback("60000").range(1, 86400000),
      K::integer("max_connections").describe("Connections served at once; more get 503 and are closed").fallback("100").range(1, 100000),
      K::integer("threads").describe("Network threads").fallback("1").range(1, 64),
      K::boolean("tls").describe("Accept HTTPS (TLS) connections only").fallback("false"),
      K::string("tls_certificate").describe("PEM file with the server certificate (chain)").fallback("\"\""),
      K::string("tls_key").describe("PEM file with the certificate's private key").fallback("\"\"").secret(),
      K::string("tls_ca").describe("PEM file with the CAs that sign client certificates").fallback("\"\""),
      K::boolean("tls_require_client_certificate").describe("Mutual TLS: refuse clients without a valid certificate").fallback("false"),
      K::string("tls_min_version").describe("Lowest TLS version accepted").fallback("\"1.2\"").one_of(tls_versions),
      K::string("auth").describe("Client authentication: none, basic or bearer").fallback("\"none\"").one_of(auth_modes),
      K::string("username").describe("auth basic: the user name").fallback("\"\""),
      K::string("password").describe("auth basic: the password (use ${env:...} or ${file:...})").fallback("\"\"").secret(),
      K::string("token").describe("auth bearer: the token (use ${env:...} or ${file:...})").fallback("\"\"").secret(),
  };
}

template <size_t N, size_t M>
constexpr std::array<ferry::Key, N + M> concat(const std::array<ferry::Key, N>& a, const std::array<ferry::Key, M>& b) {
  std::array<ferry::Key, N + M> out{};
  for (size_t i = 0; i < N; ++i) out[i] = a[i];
  for (size_t i = 0; i < M; ++i) out[N + i] = b[i];
  return out;
}

// Reads the keys above; throws ferry::Error naming the key at fault.
ServerSettings read_server_settings(const ferry::Config& config);

}  // namespace ferry::http::server
