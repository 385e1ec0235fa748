// http.sender: sends each message as an HTTP(S) request whose method, URL,
// headers and body are templates over the message, and judges the answer
// (2xx sent; 408/429/5xx and network trouble retried, honouring
// Retry-After; other statuses failed). The response is the delivery's
// response. Requests run on the instance's own libcurl worker thread.
#pragma once

#include <ferry/http/client.hpp>
#include <ferry/http/header_templates.hpp>
#include <ferry/http/sender_keys.hpp>
#include <ferry/plugin.hpp>
#include <ferry/template/template.hpp>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ferry::http {

class Sender : public ferry::Destination {
 public:
  static constexpr const char* type = "http.sender";
  static constexpr const char* version = "1.0.0";
  static constexpr const char* description = "Sends each message as an HTTP(S) request (templated URL, headers, body)";
  static constexpr const char* const body_escapes[] = {"none", "json", "url", nullptr};
  static constexpr std::array own_keys = {
      ferry::Key::string("url")
          .describe("Target URL; placeholders like ${PID-3.1} are percent-encoded")
          .required()
          .min(1),
      ferry::Key::string("method").describe("HTTP method (a template)").fallback("\"POST\"").min(1),
      ferry::Key::json("headers")
          .describe("Request headers: object of name -> template (CR/LF removed from values)")
          .fallback("{}"),
      ferry::Key::string("body").describe("Request body template (default: the content as is)").fallback("\"${content}\""),
      ferry::Key::string("body_escape")
          .describe("How placeholder values in body are escaped: none, json (string escapes), url")
          .fallback("\"none\"")
          .one_of(body_escapes),
      ferry::Key::string("content_type")
          .describe("Content-Type of the request (default: the message's content type)")
          .fallback("\"\""),
  };
  static constexpr auto config_keys = ferry::http::with_transport_keys(own_keys);

  Sender(ferry::Instance self, const ferry::Config& config);
  ~Sender() override;
  void start() override;
  void stop() override;
  void send(ferry::Delivery& delivery) override;

 private:
  ferry::http::Request build(const ferry::Message& message) const;

  ferry::tmpl::Template url_;
  ferry::tmpl::Template method_;
  ferry::http::HeaderTemplates headers_;
  ferry::tmpl::Template body_;
  ferry::tmpl::Escape body_escape_;
  std::string content_type_;
  ferry::http::SendPolicy policy_;
  ferry::http::Client client_;
};

}  // namespace ferry::http
