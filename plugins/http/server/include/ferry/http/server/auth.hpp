// Authentication of requests: none, HTTP Basic, or a Bearer token, checked
// against credentials from the config (which the host has already resolved
// from ${env:...}/${file:...}). Pure functions; secrets are compared in
// constant time.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ferry::http::server {

enum class AuthMode { none, basic, bearer };

struct AuthSettings {
  AuthMode mode = AuthMode::none;
  std::string username;  // basic
  std::string password;  // basic
  std::string token;     // bearer
  std::string realm = "ferry";
};

struct Credentials {
  std::string scheme;       // as sent, e.g. "Basic"
  std::string credentials;  // the rest, trimmed (token68 or auth-params)
};

// Splits an Authorization header value ("<scheme> <credentials>"); nullopt
// when it has no scheme.
std::optional<Credentials> parse_authorization(std::string_view value);

// Standard base64 (RFC 4648), padding optional, no whitespace; nullopt for
// anything else.
std::optional<std::string> decode_base64(std::string_view text);

// Equality in time that does not depend on where the inputs differ (both are
// hashed with SHA-256 and the digests compared with CRYPTO_memcmp), so a
// guesser learns nothing, not even the length, from response times.
bool secrets_equal(std::string_view a, std::string_view b);

struct AuthResult {
  bool ok = false;
  std::string reason;  // why not, for logs and the 401 body; never a secret
};

// Checks the Authorization header of a request (nullopt: none sent).
AuthResult authorize(const AuthSettings& settings, std::optional<std::string_view> authorization);

// The WWW-Authenticate challenge for a 401.
std::string challenge(const AuthSettings& settings);

}  // namespace ferry::http::server
