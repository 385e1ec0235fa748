#include <ferry/http/server/keys.hpp>
#include <ferry/net/tls.hpp>

#include <nlohmann/json.hpp>

namespace ferry::http::server {

namespace {

std::vector<std::string> read_paths(const ferry::Config& c) {
  const auto raw = c.raw_json("path");
  std::vector<std::string> out;
  const auto j = nlohmann::json::parse(raw.value_or("\"/\""), nullptr, false);
  if (j.is_string()) {
    out.push_back(j.get<std::string>());
  } else if (j.is_array() && !j.empty()) {
    for (const auto& p : j) {
      if (!p.is_string()) throw ferry::Error("path: expected a string or a list of strings");
      out.push_back(p.get<std::string>());
    }
  } else {
    throw ferry::Error("path: expected a string or a non-empty list of strings");
  }
  return out;
}

}  // namespace

ServerSettings read_server_settings(const ferry::Config& c) {
  ServerSettings s;
  s.host = c.string("host");
  s.port = static_cast<uint16_t>(c.integer("port"));
  try {
    s.paths = PathSet(read_paths(c));
  } catch (const std::invalid_argument& e) {
    throw ferry::Error(std::string("path: ") + e.what());
  }
  s.methods = c.strings("methods");
  for (const auto& m : s.methods)
    if (!valid_method(m)) throw ferry::Error("methods: \"" + m + "\" is not an HTTP method name (upper case, e.g. POST)");
  s.content_types = c.strings("content_types");
  s.max_body_bytes = static_cast<size_t>(c.integer("max_body_bytes"));
  s.max_header_bytes = static_cast<size_t>(c.integer("max_header_bytes"));
  s.keep_alive = c.boolean("keep_alive");
  s.header_timeout_ms = c.integer("header_timeout_ms");
  s.request_timeout_ms = c.integer("request_timeout_ms");
  s.idle_timeout_ms = c.integer("idle_timeout_ms");
  s.response_timeout_ms = c.integer("response_timeout_ms");
  s.max_connections = static_cast<size_t>(c.integer("max_connections"));
  s.threads = static_cast<size_t>(c.integer("threads"));

  const std::string auth = c.string("auth");
  s.auth.mode = auth == "basic" ? AuthMode::basic : auth == "bearer" ? AuthMode::bearer : AuthMode::none;
  s.auth.username = c.string("username");
  s.auth.password = c.string("password");
  s.auth.token = c.string("token");
  if (s.auth.mode == AuthMode::basic && (s.auth.username.empty() || s.auth.password.empty()))
    throw ferry::Error("auth \"basic\" needs username and password");
  if (s.auth.mode == AuthMode::basic && s.auth.username.find(':') != std::string::npos)
    throw ferry::Error("username: must not contain ':' (HTTP Basic cannot carry it)");
  if (s.auth.mode == AuthMode::bearer && s.auth.token.empty()) throw ferry::Error("auth \"bearer\" needs token");

  if (c.boolean("tls")) {
    ferry::net::TlsSettings t;
    t.enabled = true;
    t.certificate = c.string("tls_certificate");
    t.key = c.string("tls_key");
    t.ca = c.string("tls_ca");
    t.require_client_certificate = c.boolean("tls_require_client_certificate");
    t.min_version = c.string("tls_min_version");
    try {
      s.tls = ferry::net::make_tls_context(t, true);
    } catch (const std::exception& e) {
      throw ferry::Error(std::string("TLS: ") + e.what());
    }
  }
  return s;
}

}  // namespace ferry::http::server
