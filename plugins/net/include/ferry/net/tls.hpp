// TLS settings as the plugins' config keys describe them, and the OpenSSL
// context they make (server or client side).
#pragma once

#include <boost/asio/ssl/context.hpp>

#include <memory>
#include <string>

namespace ferry::net {

struct TlsSettings {
  bool enabled = false;
  std::string certificate;  // PEM file: our certificate (chain)
  std::string key;          // PEM file: its private key
  std::string ca;           // PEM file: CAs to verify the peer ("" on a client: the system's)
  bool verify_peer = true;  // client: verify the server; server: see require_client_certificate
  bool require_client_certificate = false;
  std::string min_version = "1.2";
  std::string server_name;  // client: the name to verify and send as SNI
};

// Builds an OpenSSL context from settings; throws std::runtime_error naming
// the file or option at fault (by its usual key name: tls_certificate, ...).
std::shared_ptr<boost::asio::ssl::context> make_tls_context(const TlsSettings& s, bool server);

}  // namespace ferry::net
