#include <ferry/http/sender_keys.hpp>

#include <cerrno>
#include <cstring>
#include <fstream>

namespace ferry::http {

namespace {

// A clear config error now rather than a TLS failure on every message.
void check_readable(const std::string& path, const char* key) {
  if (path.empty()) return;
  std::ifstream f(path, std::ios::binary);
  if (!f) throw ferry::Error(std::string(key) + ": cannot read " + path + ": " + std::strerror(errno));
}

}  // namespace

ClientOptions read_client_options(const ferry::Config& c) {
  ClientOptions o;
  o.connect_timeout_ms = c.integer("connect_timeout_ms");
  o.timeout_ms = c.integer("timeout_ms");
  o.max_response_bytes = static_cast<size_t>(c.integer("max_response_bytes"));
  o.follow_redirects = c.boolean("follow_redirects");
  o.proxy = c.string("proxy");
  o.user_agent = "Ferry/" FERRY_HTTP_CLIENT_VERSION;
  o.tls.verify = c.boolean("tls_verify");
  o.tls.ca_file = c.string("tls_ca");
  o.tls.certificate = c.string("tls_certificate");
  o.tls.key = c.string("tls_key");
  o.tls.min_version = c.string("tls_min_version");
  check_readable(o.tls.ca_file, "tls_ca");
  check_readable(o.tls.certificate, "tls_certificate");
  check_readable(o.tls.key, "tls_key");
  if (o.tls.certificate.empty() != o.tls.key.empty())
    throw ferry::Error(o.tls.key.empty() ? "tls_certificate needs tls_key" : "tls_key needs tls_certificate");
  return o;
}

SendPolicy read_send_policy(const ferry::Config& c) {
  SendPolicy p;
  try {
    p.success = StatusCodes::parse(c.strings("success_codes"), "success_codes");
    p.retry = StatusCodes::parse(c.strings("retry_codes"), "retry_codes");
  } catch (const std::invalid_argument& e) {
    throw ferry::Error(e.what());
  }
  p.max_retry_after_ms = c.integer("max_retry_after_ms");
  return p;
}

}  // namespace ferry::http
