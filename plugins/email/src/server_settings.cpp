#include "server_settings.hpp"

namespace ferry::email {

namespace {

// A host name or IP literal that cannot change the meaning of the URL.
bool plain_host(const std::string& h) {
  for (const char c : h) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (u <= 32 || u >= 127 || c == '/' || c == '@' || c == '?' || c == '#' || c == '%' || c == '\\') return false;
  }
  return !h.empty();
}

}  // namespace

ServerSettings ServerSettings::from(const ferry::Config& c) {
  ServerSettings s;
  s.host = c.string("host");
  s.port = c.integer("port");
  s.security = c.string("security");
  s.tls_verify = c.boolean("tls_verify", true);
  s.tls_ca = c.string("tls_ca");
  s.username = c.string("username");
  s.password = c.string("password");
  s.auth = c.string("auth", "auto");
  s.connect_timeout_ms = c.integer("connect_timeout_ms", 10000);
  s.command_timeout_ms = c.integer("command_timeout_ms", 60000);
  if (!plain_host(s.host)) throw ferry::Error("host: '" + s.host + "' is not a host name or IP address");
  const bool maybe_plain = s.security == "none" || s.security == "starttls_optional";
  if (!s.username.empty() && maybe_plain && !c.boolean("auth_without_tls"))
    throw ferry::Error("security '" + s.security +
                       "' may send the password unencrypted: use starttls or tls, or set auth_without_tls to true");
  if (s.username.empty() && !s.password.empty()) throw ferry::Error("password is set but username is empty");
  return s;
}

std::string ServerSettings::url(const std::string& plain_scheme, const std::string& tls_scheme,
                                 const std::string& path) const {
  std::string u = (security == "tls" ? tls_scheme : plain_scheme) + "://";
  u += host.find(':') != std::string::npos && host.front() != '[' ? "[" + host + "]" : host;
  if (port != 0) u += ":" + std::to_string(port);
  return u + "/" + path;
}

std::string ServerSettings::describe(const std::string& plain_scheme, const std::string& tls_scheme) const {
  std::string u = (security == "tls" ? tls_scheme : plain_scheme) + "://";
  if (!username.empty()) u += username + "@";
  u += host;
  if (port != 0) u += ":" + std::to_string(port);
  if (security == "starttls" || security == "starttls_optional") u += " (" + security + ")";
  return u;
}

}  // namespace ferry::email
