// How to reach and log in to a mail server: the keys email.smtp and
// email.imap share, read into one struct, and the URL libcurl gets.
#pragma once

#include <ferry/plugin.hpp>

#include <string>

namespace ferry::email {

inline constexpr const char* const security_modes[] = {"none", "starttls", "starttls_optional", "tls", nullptr};
inline constexpr const char* const auth_modes[] = {"auto", "plain", "login", nullptr};

namespace keys {
inline constexpr ferry::Key host = ferry::Key::string("host").describe("Mail server name or IP address").required().min(1);
inline constexpr ferry::Key port = ferry::Key::integer("port")
                                       .describe("TCP port (0: the protocol's default for the security mode)")
                                       .fallback("0")
                                       .range(0, 65535);
inline constexpr ferry::Key tls_verify = ferry::Key::boolean("tls_verify")
                                             .describe("Verify the server's certificate and name (keep on outside tests)")
                                             .fallback("true");
inline constexpr ferry::Key tls_ca =
    ferry::Key::string("tls_ca").describe("PEM file with the CAs to trust (default: the system's)").fallback("\"\"");
inline constexpr ferry::Key password =
    ferry::Key::string("password").describe("Password (use ${env:...} or ${file:...})").fallback("\"\"").secret();
inline constexpr ferry::Key auth = ferry::Key::string("auth")
                                       .describe("SASL mechanism: auto (the best the server offers), plain or login")
                                       .fallback("\"auto\"")
                                       .one_of(auth_modes);
inline constexpr ferry::Key auth_without_tls =
    ferry::Key::boolean("auth_without_tls")
        .describe("Allow a password on a connection that may not be encrypted (security none or starttls_optional)")
        .fallback("false");
inline constexpr ferry::Key connect_timeout_ms = ferry::Key::integer("connect_timeout_ms")
                                                     .describe("Give up connecting (TCP, TLS, login) after this long")
                                                     .fallback("10000")
                                                     .range(100, 600000);
inline constexpr ferry::Key command_timeout_ms = ferry::Key::integer("command_timeout_ms")
                                                     .describe("Wait this long for each server reply")
                                                     .fallback("60000")
                                                     .range(1000, 3600000);
}  // namespace keys

struct ServerSettings {
  std::string host;
  int64_t port = 0;
  std::string security;  // one of security_modes
  bool tls_verify = true;
  std::string tls_ca;
  std::string username, password, auth;
  int64_t connect_timeout_ms = 10000;
  int64_t command_timeout_ms = 60000;

  // Reads the shared keys; throws ferry::Error for bad combinations.
  static ServerSettings from(const ferry::Config& c);
  // "smtps://host:port/path", the scheme chosen by the security mode.
  std::string url(const std::string& plain_scheme, const std::string& tls_scheme, const std::string& path = {}) const;
  // For log lines: scheme://user@host:port, never the password.
  std::string describe(const std::string& plain_scheme, const std::string& tls_scheme) const;
};

}  // namespace ferry::email
