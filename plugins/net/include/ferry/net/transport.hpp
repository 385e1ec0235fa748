// A TCP connection that is plain or TLS (OpenSSL through Boost.Asio), chosen
// at run time, so servers and clients have one code path for both. It is an
// Asio/Beast async stream (get_executor, async_read_some, async_write_some),
// so Beast's HTTP reader and writer work on it directly.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>

#include <memory>
#include <utility>

namespace ferry::net {

class Transport {
 public:
  using executor_type = boost::asio::ip::tcp::socket::executor_type;

  Transport(boost::asio::ip::tcp::socket socket, std::shared_ptr<boost::asio::ssl::context> tls)
      : socket_(std::move(socket)), context_(std::move(tls)) {
    if (context_) tls_ = std::make_unique<boost::asio::ssl::stream<boost::asio::ip::tcp::socket&>>(socket_, *context_);
  }
  boost::asio::ip::tcp::socket& socket() { return socket_; }
  executor_type get_executor() { return socket_.get_executor(); }
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
  void async_write_some(const Buffer& b, Handler&& h) {
    if (tls_) tls_->async_write_some(b, std::forward<Handler>(h));
    else socket_.async_write_some(b, std::forward<Handler>(h));
  }
  // The whole buffer sequence, or an error.
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

}  // namespace ferry::net
