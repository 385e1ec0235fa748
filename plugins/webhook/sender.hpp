// webhook.sender: posts each message as a signed JSON envelope (or as it is)
// to a URL. The signature (HMAC-SHA256 over the exact bytes sent; schemes in
// signature.hpp) and a delivery id header let the receiver check origin and
// drop repeats; the id is the same on every retry of a message. Answers are
// judged like http.sender's; retries go through the channel's queue.
#pragma once

#include <ferry/http/client.hpp>
#include <ferry/http/header_templates.hpp>
#include <ferry/http/sender_keys.hpp>
#include <ferry/http/server/keys.hpp>
#include <ferry/plugin.hpp>
#include <ferry/template/template.hpp>

#include <optional>
#include <string>

#include "signature_keys.hpp"

namespace webhook {

class Sender : public ferry::Destination {
 public:
  static constexpr const char* type = "webhook.sender";
  static constexpr const char* version = "1.0.0";
  static constexpr const char* description = "Posts each message as a signed webhook (HMAC-SHA256)";
  static constexpr std::array own_keys = ferry::http::server::concat(std::array{
      ferry::Key::string("url")
          .describe("Receiver's URL; placeholders like ${meta:site} are percent-encoded")
          .required()
          .min(1)}, ferry::http::server::concat(signature_keys(), std::array{
      ferry::Key::string("event").describe("Event name in the envelope (a template)").fallback("\"message\""),
      ferry::Key::string("event_id")
          .describe("Event id template (default: derived from channel, destination, message id and content)")
          .fallback("\"\""),
      ferry::Key::string("id_header").describe("Header carrying the event id (\"\": none)").fallback("\"X-Webhook-Id\""),
      ferry::Key::boolean("envelope")
          .describe("Send the JSON envelope; false: the message content as it is, signed")
          .fallback("true"),
      ferry::Key::boolean("hl7_as_json").describe("HL7 v2 content goes into data as HL7 JSON").fallback("true"),
      ferry::Key::boolean("include_metadata").describe("Add the message metadata to the envelope").fallback("false"),
      ferry::Key::json("headers").describe("Extra request headers: object of name -> template").fallback("{}"),
  }));
  static constexpr auto config_keys = ferry::http::with_transport_keys(own_keys);

  Sender(ferry::Instance self, const ferry::Config& config);
  ~Sender() override;
  void start() override;
  void stop() override;
  void send(ferry::Delivery& delivery) override;

 private:
  ferry::http::Request build(const ferry::Message& message) const;

  ferry::tmpl::Template url_;
  std::string secret_;
  SignatureFormat format_;
  ferry::tmpl::Template event_;
  std::optional<ferry::tmpl::Template> event_id_;
  std::string id_header_;
  bool envelope_, hl7_as_json_, include_metadata_;
  ferry::http::HeaderTemplates headers_;
  ferry::http::SendPolicy policy_;
  ferry::http::Client client_;
};

}  // namespace webhook
