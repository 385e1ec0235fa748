#include "listener.hpp"

namespace ferry::http {

Listener::Listener(ferry::Instance self, const ferry::Config& c) : Source(self) {
  policy_.sync = c.string("response") == "sync";
  policy_.error_status = static_cast<unsigned>(c.integer("error_status"));
  policy_.retry_after_seconds = c.integer("retry_after_seconds");
  headers_ = c.strings("headers");
  server::check_header_names(headers_);
  default_content_type_ = c.string("default_content_type");

  auto settings = server::read_server_settings(c);
  std::string paths;
  for (const auto& p : settings.paths.patterns()) paths += (paths.empty() ? "" : " ") + p;
  describe_ = std::string(settings.tls ? "HTTPS" : "HTTP") + " on " + settings.host + ":" +
              std::to_string(settings.port) + " (path " + paths + ", response " +
              (policy_.sync ? "sync" : "accepted") + ")";
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
  auto m = server::request_message(req, default_content_type_, headers_);
  const ferry_status_t s = emit(m, [policy = policy_, respond](ferry::EmitResult r) {
    respond(server::answer_for(policy, r));
  });
  if (s == FERRY_OK) return;
  if (s == FERRY_RETRY) self().count("busy");
  respond(server::answer_for_refused(policy_, s));
}

}  // namespace ferry::http
