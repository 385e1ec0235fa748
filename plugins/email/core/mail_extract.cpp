#include "mail_extract.hpp"

#include <fnmatch.h>

#include "header.hpp"
#include "mime_parser.hpp"

namespace ferry::email {

namespace {

// Metadata values stay on one line and within reason, whatever the mail says.
std::string meta_text(std::string_view decoded) {
  std::string s = clean_header_text(decoded);
  if (s.size() > 2000) {
    size_t cut = 2000;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0u) == 0x80u) --cut;
    s.resize(cut);
  }
  return s;
}

std::string header_meta(const HeaderList& h, std::string_view name, bool decode) {
  const std::string* v = h.get(name);
  if (v == nullptr) return {};
  return meta_text(decode ? decode_header_text(*v) : std::string_view(*v));
}

}  // namespace

Extraction extract_messages(std::string_view raw, ReadMode mode, const std::string& pattern, const MailOrigin& origin) {
  Extraction result;
  const MimePart root = parse_mail(raw);
  const std::string message_id = header_meta(root.headers, "Message-ID", false);

  std::vector<std::pair<std::string, std::string>> meta = {
      {"email.from", header_meta(root.headers, "From", true)},
      {"email.to", header_meta(root.headers, "To", true)},
      {"email.subject", header_meta(root.headers, "Subject", true)},
      {"email.date", header_meta(root.headers, "Date", false)},
      {"email.message_id", message_id},
      {"email.folder", origin.folder},
      {"email.uid", std::to_string(origin.uid)},
      {"email.uidvalidity", std::to_string(origin.uidvalidity)},
  };
  if (const std::string cc = header_meta(root.headers, "Cc", true); !cc.empty()) meta.emplace_back("email.cc", cc);
  // A header the mail does not have gives no key (so ${meta:email.date:-...} falls back).
  std::erase_if(meta, [](const auto& kv) { return kv.second.empty(); });
  // Same mail, same key: the Message-ID; without one, the mail's place in
  // the mailbox, which IMAP keeps stable while UIDVALIDITY stays the same.
  const std::string base_key = !message_id.empty()
                                   ? message_id
                                   : "imap://" + origin.account + "/" + origin.folder + ";UIDVALIDITY=" +
                                         std::to_string(origin.uidvalidity) + ";UID=" + std::to_string(origin.uid);

  if (mode == ReadMode::mail) {
    ExtractedMessage m{std::string(raw), "message/rfc822", meta};
    m.meta.emplace_back("dedupe_key", base_key);
    result.messages.push_back(std::move(m));
    return result;
  }
  if (mode == ReadMode::body) {
    const MimePart* body = text_body(root);
    if (body == nullptr) {
      result.problem = "the mail has no text/plain or text/html body";
      return result;
    }
    ExtractedMessage m{decoded_text(*body), body->type.value, meta};
    m.meta.emplace_back("dedupe_key", base_key);
    result.messages.push_back(std::move(m));
    return result;
  }
  size_t index = 0;
  for (const MimePart* part : leaves(root)) {
    if (!is_attachment(*part)) continue;
    ++index;  // counts every attachment, so the key of each stays the same whatever the pattern
    const std::string name = meta_text(file_name(*part));
    if (fnmatch(pattern.c_str(), name.c_str(), FNM_CASEFOLD) != 0) continue;
    ExtractedMessage m{decoded_body(*part), part->type.value, meta};
    m.meta.emplace_back("email.attachment_name", name);
    m.meta.emplace_back("email.attachment_type", part->type.value);
    m.meta.emplace_back("email.attachment_index", std::to_string(index));
    m.meta.emplace_back("dedupe_key", base_key + "#attachment-" + std::to_string(index));
    result.messages.push_back(std::move(m));
  }
  if (result.messages.empty())
    result.problem = index == 0 ? "the mail has no attachments" : "no attachment name matches '" + pattern + "'";
  return result;
}

}  // namespace ferry::email
