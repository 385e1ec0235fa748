#include <ferry/net/tls.hpp>

#include <openssl/ssl.h>

#include <fstream>
#include <stdexcept>

namespace ferry::net {

namespace ssl = boost::asio::ssl;

std::shared_ptr<ssl::context> make_tls_context(const TlsSettings& s, bool server) {
  auto ctx = std::make_shared<ssl::context>(server ? ssl::context::tls_server : ssl::context::tls_client);
  // Old protocols and compression stay off whatever the OpenSSL defaults are.
  ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                   ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::no_compression);
  const int min = s.min_version == "1.3" ? TLS1_3_VERSION : TLS1_2_VERSION;
  if (SSL_CTX_set_min_proto_version(ctx->native_handle(), min) != 1)
    throw std::runtime_error("tls_min_version " + s.min_version + " is not supported");
  auto readable = [](const std::string& file, const char* key) {
    if (!std::ifstream(file)) throw std::runtime_error(std::string(key) + ": cannot read " + file);
  };
  boost::system::error_code ec;
  if (!s.certificate.empty()) {
    readable(s.certificate, "tls_certificate");
    ctx->use_certificate_chain_file(s.certificate, ec);
    if (ec) throw std::runtime_error("tls_certificate " + s.certificate + ": " + ec.message());
    readable(s.key, "tls_key");
    ctx->use_private_key_file(s.key, ssl::context::pem, ec);
    if (ec) throw std::runtime_error("tls_key " + s.key + ": " + ec.message());
  } else if (server) {
    throw std::runtime_error("tls needs tls_certificate and tls_key");
  }
  if (!s.ca.empty()) {
    readable(s.ca, "tls_ca");
    ctx->load_verify_file(s.ca, ec);
    if (ec) throw std::runtime_error("tls_ca " + s.ca + ": " + ec.message());
  } else if (!server) {
    ctx->set_default_verify_paths(ec);
  }
  if (server) {
    if (s.require_client_certificate) {
      if (s.ca.empty()) throw std::runtime_error("tls_require_client_certificate needs tls_ca");
      ctx->set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert);
    } else {
      ctx->set_verify_mode(ssl::verify_none);
    }
  } else {
    ctx->set_verify_mode(s.verify_peer ? ssl::verify_peer : ssl::verify_none);
  }
  return ctx;
}

}  // namespace ferry::net
