#include "listener.hpp"

namespace ferry::http {

Listener::Listener(ferry::Instance self, const ferry::Config& c) : Source(self) {
  source_ = server::read_source_settings(c);
  source_.policy.sync = c.string("response") == "sync";

  auto settings = server::read_server_settings(c);
  std::string paths;
  for (const auto& p : settings.paths.patterns()) paths += (paths.empty() ? "" : " ") + p;
  describe_ = std::string(settings.tls ? "HTTPS" : "HTTP") + " on " + settings.host + ":" +
              std::to_string(settings.port) + " (path " + paths + ", response " +
              (source_.policy.sync ? "sync" : "accepted") + ")";
  server_.emplace(
      std::move(settings),
      [this](server::Request req, server::Responder respond) { handle(std::move(req), std::move(respond)); },
      server::observer_for(this->self()));
}

Listener::~Listener() { stop(); }

void Listener::start() {
  try {
    server_->start();
  } catch (const std::exception& e) {
    throw ferry::Error(e.what());
  }
  self().info("listening for " + describe_);
}

void Listener::stop() {
  if (server_) server_->stop();
}

// On a network thread: emit and return; the answer comes with the completion
// (on a host thread), which the host always calls before stop().
void Listener::handle(server::Request req, server::Responder respond) {
  auto m = server::request_message(req, source_.default_content_type, source_.headers);
  const ferry_status_t s = emit(m, [policy = source_.policy, respond](ferry::EmitResult r) {
    respond(server::answer_for(policy, r));
  });
  if (s == FERRY_OK) return;
  if (s == FERRY_RETRY) self().count("busy");
  respond(server::answer_for_refused(source_.policy, s));
}

}  // namespace ferry::http
