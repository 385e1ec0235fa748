#include "mail_composer.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>

#include "encoding.hpp"

namespace ferry::email {

namespace {

using ferry::tmpl::Escape;
using ferry::tmpl::Template;

BodyEncoding encoding_named(const std::string& s) {
  if (s == "base64") return BodyEncoding::base64;
  if (s == "quoted-printable") return BodyEncoding::quoted_printable;
  return BodyEncoding::automatic;
}

nlohmann::json parse_json_key(const ferry::Config& c, const char* key) {
  const auto raw = c.raw_json(key);
  if (!raw) return nullptr;
  auto j = nlohmann::json::parse(*raw, nullptr, false);
  if (j.is_discarded()) throw ferry::Error(std::string(key) + ": not valid JSON");
  return j;
}

std::vector<Address> addresses(const Template& t, const ferry::tmpl::Context& ctx, const char* key) {
  try {
    return parse_address_list(t.expand(ctx, Escape::header));
  } catch (const AddressError& e) {
    throw ferry::Error(std::string(key) + ": " + e.what());
  }
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

MailComposer::MailComposer(const ferry::Config& c)
    : from_(c.string("from"), "from"),
      envelope_from_(c.string("envelope_from"), "envelope_from"),
      to_(c.string("to"), "to"),
      cc_(c.string("cc"), "cc"),
      bcc_(c.string("bcc"), "bcc"),
      reply_to_(c.string("reply_to"), "reply_to"),
      subject_(c.string("subject"), "subject"),
      text_(c.string("text", "${content}"), "text"),
      html_(c.string("html"), "html"),
      has_text_(!c.string("text", "${content}").empty()),
      has_html_(!c.string("html").empty()),
      encoding_(encoding_named(c.string("body_encoding", "auto"))),
      message_id_domain_(c.string("message_id_domain")) {
  if (to_.text().empty() && cc_.text().empty() && bcc_.text().empty())
    throw ferry::Error("to, cc and bcc are all empty: set at least one");
  if (!message_id_domain_.empty() && !valid_address("x@" + message_id_domain_))
    throw ferry::Error("message_id_domain: '" + message_id_domain_ + "' is not a domain name");

  const nlohmann::json list = parse_json_key(c, "attachments");
  if (!list.is_null() && !list.is_array()) throw ferry::Error("attachments: expected an array of objects");
  for (size_t i = 0; list.is_array() && i < list.size(); ++i) {
    const std::string where = "attachments/" + std::to_string(i);
    const nlohmann::json& item = list[i];
    if (!item.is_object()) throw ferry::Error(where + ": expected an object");
    for (const auto& [k, v] : item.items()) {
      static constexpr std::string_view known[] = {"content", "name", "type", "decode", "required"};
      if (std::find(std::begin(known), std::end(known), k) == std::end(known))
        throw ferry::Error(where + "/" + k + ": unknown key (known: content, name, type, decode, required)");
      if (k == "required" ? !v.is_boolean() : !v.is_string())
        throw ferry::Error(where + "/" + k + (k == "required" ? ": expected a boolean" : ": expected a string"));
    }
    if (!item.contains("name")) throw ferry::Error(where + "/name: required key is missing");
    const std::string decode = item.value("decode", "none");
    if (decode != "none" && decode != "base64") throw ferry::Error(where + "/decode: expected \"none\" or \"base64\"");
    const std::string type = item.value("type", "application/octet-stream");
    if (!valid_mime_type(type)) throw ferry::Error(where + "/type: '" + type + "' is not a MIME type (type/subtype)");
    attachments_.push_back(AttachmentSpec{Template(item.value("content", "${content}"), where + "/content"),
                                          Template(item.value("name", ""), where + "/name"), lower(type),
                                          decode == "base64", item.value("required", false)});
  }

  const nlohmann::json extra = parse_json_key(c, "headers");
  if (!extra.is_null() && !extra.is_object()) throw ferry::Error("headers: expected an object of header name: template");
  const nlohmann::json fields = extra.is_object() ? extra : nlohmann::json::object();
  for (const auto& [name, value] : fields.items()) {
    if (!value.is_string()) throw ferry::Error("headers/" + name + ": expected a string");
    if (!allowed_extra_header(name))
      throw ferry::Error("headers/" + name +
                         ": not allowed (a header name without spaces or ':', and not one email.smtp writes itself)");
    headers_.emplace_back(name, Template(value.get<std::string>(), "headers/" + name));
  }
}

Composed MailComposer::compose(const ferry::Message& m, const std::string& channel) const {
  const ferry::tmpl::Context ctx(m, channel);
  Composed out;
  Mail& mail = out.mail;

  const auto from = addresses(from_, ctx, "from");
  if (from.size() != 1)
    throw ferry::Error("from: expected one address, got " + std::to_string(from.size()) + " ('" +
                       from_.expand(ctx, Escape::header).substr(0, 200) + "')");
  mail.from = from.front();
  mail.to = addresses(to_, ctx, "to");
  mail.cc = addresses(cc_, ctx, "cc");
  mail.reply_to = addresses(reply_to_, ctx, "reply_to");
  const auto bcc = addresses(bcc_, ctx, "bcc");

  for (const std::vector<Address>* list : std::initializer_list<const std::vector<Address>*>{&mail.to, &mail.cc, &bcc})
    for (const Address& a : *list) {
      const bool seen = std::any_of(out.recipients.begin(), out.recipients.end(),
                                    [&](const std::string& r) { return lower(r) == lower(a.address); });
      if (!seen) out.recipients.push_back(a.address);
    }
  if (out.recipients.empty()) throw ferry::Error("no recipients: to, cc and bcc are empty for this message");

  const auto envelope = addresses(envelope_from_, ctx, "envelope_from");
  if (envelope.size() > 1) throw ferry::Error("envelope_from: expected one address");
  out.envelope_from = envelope.empty() ? mail.from.address : envelope.front().address;

  mail.subject = subject_.expand(ctx, Escape::header);
  mail.has_text = has_text_;
  mail.has_html = has_html_;
  if (has_text_) mail.text = text_.expand(ctx);
  if (has_html_) mail.html = html_.expand(ctx);
  mail.encoding = encoding_;

  for (size_t i = 0; i < attachments_.size(); ++i) {
    const AttachmentSpec& spec = attachments_[i];
    const std::string name = spec.name.expand(ctx, Escape::header);
    std::string data = spec.content.expand(ctx);
    const std::string label = "attachment " + std::to_string(i) + " ('" + name + "')";
    if (spec.base64 && !data.empty()) {
      auto decoded = base64_decode(data);
      if (!decoded) throw ferry::Error(label + ": " + spec.content.text() + " is not valid base64");
      data = std::move(*decoded);
    }
    if (data.empty()) {
      if (spec.required) throw ferry::Error(label + " is required but " + spec.content.text() + " is empty");
      continue;
    }
    mail.attachments.push_back(Attachment{name, spec.type, std::move(data)});
  }
  for (const auto& [name, t] : headers_) mail.extra_headers.emplace_back(name, t.expand(ctx, Escape::header));

  std::string domain = message_id_domain_;
  if (domain.empty()) {
    domain = mail.from.address.substr(mail.from.address.rfind('@') + 1);
    if (domain.front() == '[') domain = "ferry.invalid";
  }
  mail.message_id = "<ferry." + std::to_string(m.id()) + "." + ferry::tmpl::random_hex(8) + "@" + domain + ">";
  mail.date = ctx.now();
  return out;
}

}  // namespace ferry::email
