// http.listener: an HTTP(S) server source. Each accepted request body
// becomes a message (content type kept, request details as metadata); the
// client is answered once the channel says the message is stored (202 with
// its id), or with the channel's response ("sync").
#pragma once

#include <ferry/http/server/keys.hpp>
#include <ferry/http/server/server.hpp>
#include <ferry/http/server/source.hpp>
#include <ferry/plugin.hpp>

#include <optional>
#include <string>
#include <vector>

namespace ferry::http {

class Listener : public ferry::Source {
 public:
  static constexpr const char* type = "http.listener";
  static constexpr const char* version = "1.0.0";
  static constexpr const char* description = "Receives messages over HTTP(S): each request body becomes a message";
  static constexpr const char* const response_modes[] = {"accepted", "sync", nullptr};
  static constexpr std::array config_keys = server::concat(
      server::concat(server::server_keys("\"/\""), server::source_keys()),
      std::array{
          ferry::Key::string("response")
              .describe("accepted: 202 with the message id once stored; sync: the channel's response")
              .fallback("\"accepted\"")
              .one_of(response_modes),
      });

  Listener(ferry::Instance self, const ferry::Config& config);
  ~Listener() override;
  void start() override;
  void stop() override;

 private:
  void handle(server::Request request, server::Responder respond);

  server::SourceSettings source_;
  std::optional<server::Server> server_;
  std::string describe_;  // for the "listening" line
};

}  // namespace ferry::http
