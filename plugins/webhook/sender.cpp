#include "sender.hpp"

#include <ferry/http/delivery.hpp>

#include <algorithm>
#include <cctype>
#include <chrono>

#include "envelope.hpp"

namespace webhook {

namespace {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](unsigned char x, unsigned char y) {
           return std::tolower(x) == std::tolower(y);
         });
}

bool starts_with_nocase(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && iequals(text.substr(0, prefix.size()), prefix);
}

}  // namespace

Sender::Sender(ferry::Instance self, const ferry::Config& c)
    : Destination(self),
      url_(c.string("url"), "url"),
      secret_(c.string("secret")),
      event_(c.string("event"), "event"),
      id_header_(c.string("id_header")),
      envelope_(c.boolean("envelope")),
      hl7_as_json_(c.boolean("hl7_as_json")),
      include_metadata_(c.boolean("include_metadata")),
      headers_(ferry::http::parse_header_templates(c.raw_json("headers").value_or("{}"), "headers")),
      policy_(ferry::http::read_send_policy(c)),
      client_(ferry::http::read_client_options(c)) {
  format_ = read_signature_format(c);
  if (!id_header_.empty() && !ferry::http::is_token(id_header_))
    throw ferry::Error("id_header: \"" + id_header_ + "\" is not a valid header name");
  if (!c.string("event_id").empty()) event_id_.emplace(c.string("event_id"), "event_id");
  for (const auto& [name, value] : headers_) {
    if (iequals(name, format_.header_name()) || (!id_header_.empty() && iequals(name, id_header_)))
      throw ferry::Error("headers: " + name + " is set by webhook.sender itself");
  }
  const std::string& url = url_.text();
  if (url.rfind("${", 0) != 0 && !starts_with_nocase(url, "http://") && !starts_with_nocase(url, "https://"))
    throw ferry::Error("url: must start with http:// or https:// (got \"" + url + "\")");
}

Sender::~Sender() { client_.stop(); }

void Sender::start() { client_.start(); }

void Sender::stop() { client_.stop(); }

ferry::http::Request Sender::build(const ferry::Message& m) const {
  const auto now = std::chrono::system_clock::now();
  const std::string channel(self().channel());
  const ferry::tmpl::Context context(m, channel, now);
  const std::string_view content = m.content();
  std::string id = event_id_ ? event_id_->expand(context, ferry::tmpl::Escape::header)
                             : event_id(secret_, channel, self().name(), m.id(), content);

  ferry::http::Request r;
  r.method = "POST";
  r.url = url_.expand(context, ferry::tmpl::Escape::url_component);
  ferry::http::expand_headers(headers_, context, r.headers);
  std::string content_type;
  if (envelope_) {
    EnvelopeInput in;
    in.id = id;
    in.event = event_.expand(context);
    in.channel = channel;
    in.timestamp = ferry::tmpl::iso8601(now);
    in.message_id = m.id();
    in.content_type = std::string(m.content_type());
    in.content = content;
    if (include_metadata_) in.metadata = m.meta_all();
    in.hl7_as_json = hl7_as_json_;
    in.include_metadata = include_metadata_;
    r.body = envelope_json(in);
    content_type = "application/json";
  } else {
    r.body = std::string(content);
    content_type = ferry::tmpl::escape(m.content_type(), ferry::tmpl::Escape::header);
  }
  if (!ferry::http::has_header(r.headers, "content-type") && !content_type.empty())
    r.headers.emplace_back("Content-Type", content_type);
  if (!id_header_.empty()) r.headers.emplace_back(id_header_, std::move(id));
  // Signed last, over the exact bytes that go out.
  const auto unix_seconds = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  SignatureHeader sig = sign(format_, secret_, r.body, unix_seconds);
  r.headers.emplace_back(std::move(sig.name), std::move(sig.value));
  return r;
}

void Sender::send(ferry::Delivery& delivery) {
  ferry::http::Request request = build(delivery.message());
  ferry::http::send_delivery(client_, policy_, self(), std::move(request), delivery);
}

}  // namespace webhook
