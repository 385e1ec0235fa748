#include "sender.hpp"

#include <ferry/http/delivery.hpp>

#include <algorithm>
#include <cctype>

namespace ferry::http {

namespace {

bool starts_with_nocase(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() &&
         std::equal(prefix.begin(), prefix.end(), text.begin(),
                    [](unsigned char a, unsigned char b) { return std::tolower(a) == std::tolower(b); });
}

ferry::tmpl::Escape escape_named(const std::string& name) {
  if (name == "json") return ferry::tmpl::Escape::json_string;
  if (name == "url") return ferry::tmpl::Escape::url_component;
  return ferry::tmpl::Escape::none;
}

}  // namespace

Sender::Sender(ferry::Instance self, const ferry::Config& c)
    : Destination(self),
      url_(c.string("url"), "url"),
      method_(c.string("method"), "method"),
      headers_(ferry::http::parse_header_templates(c.raw_json("headers").value_or("{}"), "headers")),
      body_(c.string("body"), "body"),
      body_escape_(escape_named(c.string("body_escape"))),
      content_type_(c.string("content_type")),
      policy_(ferry::http::read_send_policy(c)),
      client_(ferry::http::read_client_options(c)) {
  // A URL that starts with literal text must name HTTP(S); one that starts
  // with a placeholder is checked per message (libcurl allows only HTTP(S)).
  const std::string& url = url_.text();
  if (url.rfind("${", 0) != 0 && !starts_with_nocase(url, "http://") && !starts_with_nocase(url, "https://"))
    throw ferry::Error("url: must start with http:// or https:// (got \"" + url + "\")");
  if (method_.is_literal() && !ferry::http::is_token(method_.text()))
    throw ferry::Error("method: \"" + method_.text() + "\" is not an HTTP method");
  if (content_type_.find_first_of(std::string("\r\n\0", 3)) != std::string::npos)
    throw ferry::Error("content_type: cannot contain CR, LF or NUL");
}

Sender::~Sender() { client_.stop(); }

void Sender::start() { client_.start(); }

void Sender::stop() { client_.stop(); }

ferry::http::Request Sender::build(const ferry::Message& m) const {
  const ferry::tmpl::Context context(m, std::string(self().channel()));
  ferry::http::Request r;
  r.url = url_.expand(context, ferry::tmpl::Escape::url_component);
  r.method = method_.expand(context, ferry::tmpl::Escape::header);
  std::transform(r.method.begin(), r.method.end(), r.method.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::toupper(ch)); });
  if (!ferry::http::is_token(r.method)) throw ferry::Error("method \"" + r.method + "\" is not an HTTP method");
  ferry::http::expand_headers(headers_, context, r.headers);
  if (!ferry::http::has_header(r.headers, "content-type")) {
    const std::string type = content_type_.empty() ? std::string(m.content_type()) : content_type_;
    if (!type.empty()) r.headers.emplace_back("Content-Type", ferry::tmpl::escape(type, ferry::tmpl::Escape::header));
  }
  r.body = body_.expand(context, body_escape_);
  return r;
}

void Sender::send(ferry::Delivery& delivery) {
  // A message whose templates give no usable request fails here (ERROR):
  // trying again would build the same request.
  ferry::http::Request request = build(delivery.message());
  ferry::http::send_delivery(client_, policy_, self(), std::move(request), delivery);
}

}  // namespace ferry::http
