#include "receiver.hpp"

#include <chrono>

namespace webhook {

namespace server = ferry::http::server;

namespace {

int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

Receiver::Receiver(ferry::Instance self, const ferry::Config& c)
    : Source(self),
      secret_(c.string("secret")),
      format_(read_signature_format(c)),
      tolerance_seconds_(c.integer("tolerance_seconds")),
      id_header_(c.string("id_header")),
      require_id_(c.boolean("require_id")),
      source_(server::read_source_settings(c)) {
  if (id_header_.empty()) id_header_ = format_.scheme == Scheme::github ? "X-GitHub-Delivery" : "X-Webhook-Id";
  if (!ferry::http::is_token(id_header_)) throw ferry::Error("id_header: \"" + id_header_ + "\" is not a valid header name");

  auto settings = server::read_server_settings(c);
  std::string paths;
  for (const auto& p : settings.paths.patterns()) paths += (paths.empty() ? "" : " ") + p;
  describe_ = std::string(settings.tls ? "HTTPS" : "HTTP") + " on " + settings.host + ":" +
              std::to_string(settings.port) + " (path " + paths + ", signature " + scheme_name(format_.scheme) + " in " +
              format_.header_name() + ", delivery id in " + id_header_ + ")";
  server_.emplace(
      std::move(settings),
      [this](server::Request req, server::Responder respond) { handle(std::move(req), std::move(respond)); },
      server::observer_for(this->self()));
}

Receiver::~Receiver() { stop(); }

void Receiver::start() {
  try {
    server_->start();
  } catch (const std::exception& e) {
    throw ferry::Error(e.what());
  }
  self().info("listening for webhooks over " + describe_);
}

void Receiver::stop() {
  if (server_) server_->stop();
}

// On a network thread: check the signature over the exact bytes received,
// then emit with the delivery id as dedupe_key.
void Receiver::handle(server::Request req, server::Responder respond) {
  const std::string who = req.remote + " " + req.method + " " + req.path;
  const auto check = verify(format_, secret_, req.body, req.header(format_.header_name()), unix_now(), tolerance_seconds_);
  if (!check.ok()) {
    self().warn(who + " refused: 401 bad signature: " + check.reason);
    self().count("bad_signatures");
    auto r = server::json_error(401, "signature: " + check.reason);
    r.headers.push_back({"WWW-Authenticate", "HMAC-SHA256 header=\"" + format_.header_name() + "\""});
    return respond(std::move(r));
  }
  const auto id = req.header(id_header_);
  if (require_id_ && (!id || id->empty())) {
    self().warn(who + " refused: 400 no " + id_header_ + " header");
    return respond(server::json_error(400, "missing delivery id header " + id_header_));
  }
  auto m = server::request_message(req, source_.default_content_type, source_.headers);
  if (id && !id->empty()) {
    m.set_meta("webhook.id", *id);
    m.set_meta("dedupe_key", *id);
  }
  const ferry_status_t s =
      emit(m, [policy = source_.policy, respond, self = self(), id = std::string(id.value_or("")), who](ferry::EmitResult r) {
        // The host answers a dedupe_key it has stored before with the earlier
        // id and this note; nothing was stored or routed again.
        if (r.status == FERRY_OK && r.error.starts_with("duplicate of message")) {
          self.info(who + ": delivery " + id + " was received before (message " + std::to_string(r.message_id) +
                    "); answered 200, not processed again");
          self.count("duplicates");
          return respond(server::json_response(
              200, "{\"message_id\": " + std::to_string(r.message_id) + ", \"duplicate\": true}"));
        }
        respond(server::answer_for(policy, r));
      });
  if (s == FERRY_OK) return;
  if (s == FERRY_RETRY) self().count("busy");
  respond(server::answer_for_refused(source_.policy, s));
}

}  // namespace webhook
