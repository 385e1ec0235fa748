// A TCP connection that is plain or TLS (OpenSSL through Boost.Asio), chosen
// at run time, so the listener and the sender have one code path for both.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>

#include <memory>
#include <string>

namespace mllp {

struct TlsSettings {
  bool enabled = false;
  std::string certificate;  // PEM file: our certificate (chain)
  std::string key;          // PEM file: its private key
  std::string ca;           // PEM file: CAs to verify the peer ("" on a sender: the system's)
  bool verify_peer = true;  // sender: verify the server; listener: see require_client_certificate
  bool require_client_certificate = false;
  std::string min_version = "1.2";
  std::string server_name;  // sender: the name to verify and send as SNI
};

// Builds an OpenSSL context from settings; throws std::runtime_error naming
// the file or option at fault.
std::shared_ptr<boost::asio::ssl::context> make_tls_context(const TlsSettings& s, bool server);

class Transport {
 public:
  Transport(boost::asio::ip::tcp::socket socket, std::shared_ptr<boost::asio::ssl::context> tls)
      : socket_(std::move(socket)), context_(std::move(tls)) {
    if (context_) tls_ = std::make_unique<boost::asio::ssl::stream<boost::asio::ip::tcp::socket&>>(socket_, *context_);
  }
  boost::asio::ip::tcp::socket& socket() { return socket_; }
  bool secure() const { return tls_ != nullptr; }
  boost::asio::ssl::stream<boost::asio::ip::tcp::socket&>* tls() { return tls_.get(); }

  template <class Handler>
  void async_handshake(boost::asio::ssl::stream_base::handshake_type type, Handler&& h) {
    tls_->async_handshake(type, std::forward<Handler>(h));
  }
  template <class Buffer, class Handler>
  void async_read_some(const Buffer& b, Handler&& h) {
    if (tls_) tls_->async_read_some(b, std::forward<Handler>(h));
    else socket_.async_read_some(b, std::forward<Handler>(h));
  }
  template <class Buffer, class Handler>
  void async_write(const Buffer& b, Handler&& h) {
    if (tls_) boost::asio::async_write(*tls_, b, std::forward<Handler>(h));
    else boost::asio::async_write(socket_, b, std::forward<Handler>(h));
  }
  void close() {
    boost::system::error_code ec;
    socket_.shutdown(boost::asio::ip::tcp::socket::shutdown_both, ec);
    socket_.close(ec);
  }

 private:
  boost::asio::ip::tcp::socket socket_;
  std::shared_ptr<boost::asio::ssl::context> context_;
  std::unique_ptr<boost::asio::ssl::stream<boost::asio::ip::tcp::socket&>> tls_;
};

}  // namespace mllp
