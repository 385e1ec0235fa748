// email.smtp's message side: the templated fields (addresses, subject,
// bodies, attachments, extra headers) and how one Ferry message becomes one
// mail plus its SMTP envelope.
#pragma once

#include <ferry/plugin.hpp>
#include <ferry/template/template.hpp>

#include <optional>
#include <string>
#include <vector>

#include "mime_builder.hpp"

namespace ferry::email {

inline constexpr const char* const body_encodings[] = {"auto", "quoted-printable", "base64", nullptr};

namespace keys {
inline constexpr ferry::Key from =
    ferry::Key::string("from").describe("Sender, e.g. \"Lab <lab@example.org>\" (template)").required().min(1);
inline constexpr ferry::Key envelope_from = ferry::Key::string("envelope_from")
                                                .describe("Address for MAIL FROM (bounces; template); default: from's")
                                                .fallback("\"\"");
inline constexpr ferry::Key to =
    ferry::Key::string("to").describe("Recipients, separated by , or ; (template)").fallback("\"\"");
inline constexpr ferry::Key cc = ferry::Key::string("cc").describe("Copy recipients (template)").fallback("\"\"");
inline constexpr ferry::Key bcc =
    ferry::Key::string("bcc").describe("Blind copy recipients: envelope only, never in a header (template)").fallback("\"\"");
inline constexpr ferry::Key reply_to = ferry::Key::string("reply_to").describe("Reply-To addresses (template)").fallback("\"\"");
inline constexpr ferry::Key subject = ferry::Key::string("subject").describe("Subject (template)").fallback("\"\"");
inline constexpr ferry::Key text =
    ferry::Key::string("text").describe("Plain text body (template); \"\": none").fallback("\"${content}\"");
inline constexpr ferry::Key html = ferry::Key::string("html").describe("HTML body (template); \"\": none").fallback("\"\"");
inline constexpr ferry::Key body_encoding =
    ferry::Key::string("body_encoding")
        .describe("Transfer encoding of the bodies: auto (7bit when plain ASCII, else quoted-printable), quoted-printable, base64")
        .fallback("\"auto\"")
        .one_of(body_encodings);
inline constexpr ferry::Key attachments =
    ferry::Key::json("attachments")
        .describe("Files to attach: [{\"content\", \"name\", \"type\", \"decode\", \"required\"}] (see docs/plugins/email.md)")
        .fallback("[]");
inline constexpr ferry::Key headers =
    ferry::Key::json("headers").describe("Extra header fields: {\"X-Name\": \"template\"}").fallback("{}");
inline constexpr ferry::Key message_id_domain = ferry::Key::string("message_id_domain")
                                                    .describe("Domain of the Message-ID (default: from's domain)")
                                                    .fallback("\"\"");
}  // namespace keys

struct Composed {
  Mail mail;
  std::string envelope_from;
  std::vector<std::string> recipients;  // to, cc and bcc, each once
};

class MailComposer {
 public:
  // Throws ferry::Error naming the key for a bad template or setting.
  explicit MailComposer(const ferry::Config& c);
  // Throws ferry::Error for what makes this message unsendable (no
  // recipient, an invalid address, a required attachment missing...).
  Composed compose(const ferry::Message& m, const std::string& channel) const;

 private:
  struct AttachmentSpec {
    ferry::tmpl::Template content, name;
    std::string type;
    bool base64 = false;
    bool required = false;
  };
  ferry::tmpl::Template from_, envelope_from_, to_, cc_, bcc_, reply_to_, subject_, text_, html_;
  bool has_text_, has_html_;
  BodyEncoding encoding_;
  std::vector<AttachmentSpec> attachments_;
  std::vector<std::pair<std::string, ferry::tmpl::Template>> headers_;
  std::string message_id_domain_;
};

}  // namespace ferry::email
