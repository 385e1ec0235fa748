// An HTTP/1.1 server on Boost.Beast: its own io_context and threads, one
// strand per connection, plain TCP or TLS (ferry::net). It answers bad
// requests itself (400, 401, 404, 405, 413, 415, 431, ... with a JSON error
// body) and hands every good request to the Handler.
#pragma once

#include <memory>

#include "exchange.hpp"
#include "settings.hpp"

namespace ferry::http::server {

namespace detail {
class Core;
}

class Server {
 public:
  Server(ServerSettings settings, Handler handler, Observer observer);
  ~Server();  // stops
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and starts serving; throws std::runtime_error saying why not.
  void start();
  // Closes the listening socket and every connection and joins the threads.
  // Once it returns, the handler is not running and is never called again,
  // and Responders do nothing.
  void stop();
  // The bound port (useful with port 0), valid after start().
  uint16_t port() const;
  // "host:port" as configured.
  std::string where() const;

 private:
  std::unique_ptr<detail::Core> core_;
};

}  // namespace ferry::http::server
