#include "mime_builder.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>

#include "encoding.hpp"
#include "header.hpp"

namespace ferry::email {

namespace {

struct Entity {
  std::string headers;  // Content-* lines, CRLF-terminated
  std::string body;
};

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool is_token_char(char c) {
  const unsigned char u = static_cast<unsigned char>(c);
  return u > 32 && u < 127 && std::string_view("()<>@,;:\\\"/[]?=").find(c) == std::string_view::npos;
}

bool short_ascii_lines(std::string_view crlf_text) {
  if (!is_ascii(crlf_text)) return false;
  size_t line = 0;
  for (size_t i = 0; i < crlf_text.size(); ++i) {
    const char c = crlf_text[i];
    if (c == '\r' && i + 1 < crlf_text.size() && crlf_text[i + 1] == '\n') {
      line = 0;
      ++i;
      continue;
    }
    // Bare CR, NUL and other controls are not 7bit text (RFC 2045 2.7).
    if ((static_cast<unsigned char>(c) < 32 && c != '\t') || c == 127) return false;
    if (++line > 998) return false;
  }
  return true;
}

Entity text_entity(std::string_view text, std::string_view subtype, BodyEncoding encoding) {
  const std::string body = normalize_crlf(repair_utf8(text));
  Entity e;
  e.headers = "Content-Type: text/" + std::string(subtype) + "; charset=utf-8\r\n";
  if (encoding == BodyEncoding::automatic && short_ascii_lines(body)) {
    e.headers += "Content-Transfer-Encoding: 7bit\r\n";
    e.body = body;
  } else if (encoding == BodyEncoding::base64) {
    e.headers += "Content-Transfer-Encoding: base64\r\n";
    e.body = base64_encode(body, 76);
  } else {
    e.headers += "Content-Transfer-Encoding: quoted-printable\r\n";
    e.body = quoted_printable_encode(body);
    // Text without a final line break ends in a soft break, so the line
    // break the message needs is not added to the text.
    if (!e.body.empty() && e.body.back() != '\n') e.body += "=\r\n";
  }
  return e;
}

// A filename parameter: plain when it is printable ASCII, else RFC 2231
// (filename*=utf-8''...) for Content-Disposition and an encoded-word for the
// older Content-Type name parameter that many clients still read.
std::string percent_2231(std::string_view utf8) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : utf8) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '.' || c == '-' || c == '_' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += hex[u >> 4];
      out += hex[u & 15];
    }
  }
  return out;
}

Entity attachment_entity(const Attachment& a, size_t index) {
  const std::string name = safe_file_name(a.name, "attachment-" + std::to_string(index + 1));
  const std::string type = valid_mime_type(a.type) ? lower(a.type) : "application/octet-stream";
  Entity e;
  if (is_ascii(name)) {
    e.headers = "Content-Type: " + type + ";\r\n name=\"" + name + "\"\r\n";
    e.headers += "Content-Disposition: attachment;\r\n filename=\"" + name + "\"\r\n";
  } else {
    e.headers = "Content-Type: " + type + ";\r\n name=\"" + encoded_words(name, " ") + "\"\r\n";
    e.headers += "Content-Disposition: attachment;\r\n filename*=utf-8''" + percent_2231(name) + "\r\n";
  }
  e.headers += "Content-Transfer-Encoding: base64\r\n";
  e.body = base64_encode(a.data, 76);
  return e;
}

bool contains(const Entity& e, std::string_view s) {
  return e.body.find(s) != std::string::npos || e.headers.find(s) != std::string::npos;
}

Entity multipart(std::string_view subtype, const std::vector<Entity>& parts, const std::function<std::string()>& token) {
  // The boundary must not occur in any part; with random tokens that is
  // already unlikely, and 7bit parts are checked to be sure.
  std::string boundary;
  for (int attempt = 0; attempt < 16; ++attempt) {
    boundary = "=_ferry_" + token();
    if (std::none_of(parts.begin(), parts.end(), [&](const Entity& p) { return contains(p, boundary); })) break;
  }
  Entity e;
  e.headers = "Content-Type: multipart/" + std::string(subtype) + ";\r\n boundary=\"" + boundary + "\"\r\n";
  for (const Entity& p : parts) {
    // The CRLF before a delimiter belongs to the delimiter (RFC 2046 5.1.1),
    // so one is always added: a body's own last line break survives.
    e.body += "--" + boundary + "\r\n" + p.headers + "\r\n" + p.body + "\r\n";
  }
  e.body += "--" + boundary + "--\r\n";
  return e;
}

}  // namespace

bool valid_mime_type(std::string_view type) {
  const size_t slash = type.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == type.size() || type.size() > 255) return false;
  for (size_t i = 0; i < type.size(); ++i)
    if (i != slash && !is_token_char(type[i])) return false;
  return true;
}

bool allowed_extra_header(std::string_view name) {
  if (name.empty() || name.size() > 76) return false;
  for (const char c : name) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (u <= 32 || u >= 127 || c == ':') return false;
  }
  const std::string n = lower(name);
  static constexpr std::string_view reserved[] = {"from",       "to",          "cc",       "bcc",      "reply-to",
                                                  "subject",    "date",        "message-id", "mime-version",
                                                  "sender",     "return-path"};
  if (std::find(std::begin(reserved), std::end(reserved), n) != std::end(reserved)) return false;
  return n.rfind("content-", 0) != 0;
}

std::string safe_file_name(std::string_view name, std::string_view fallback) {
  std::string out;
  for (const char c : clean_header_text(name)) {
    if (c == '/' || c == '\\' || c == '"') out += '_';
    else if (c == '\t') out += ' ';
    else out += c;
  }
  while (!out.empty() && out.front() == ' ') out.erase(0, 1);
  while (!out.empty() && out.back() == ' ') out.pop_back();
  if (out.size() > 200) {
    size_t cut = 200;  // keep whole UTF-8 characters
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0u) == 0x80u) --cut;
    out.resize(cut);
  }
  if (out.empty() || out == "." || out == "..") return std::string(fallback);
  return out;
}

std::string rfc5322_date(std::chrono::system_clock::time_point t) {
  const std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  static constexpr const char* days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday % 7], tm.tm_mday,
                months[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

std::string build_message(const Mail& mail, const std::function<std::string()>& random_token) {
  std::string out;
  out += "Date: " + rfc5322_date(mail.date) + "\r\n";
  out += address_header("From", {mail.from});
  if (!mail.to.empty()) out += address_header("To", mail.to);
  else if (mail.cc.empty()) out += "To: undisclosed-recipients:;\r\n";
  if (!mail.cc.empty()) out += address_header("Cc", mail.cc);
  if (!mail.reply_to.empty()) out += address_header("Reply-To", mail.reply_to);
  out += unstructured_header("Subject", mail.subject);
  out += "Message-ID: " + clean_header_text(mail.message_id) + "\r\n";
  for (const auto& [name, value] : mail.extra_headers)
    if (allowed_extra_header(name)) out += unstructured_header(name, value);
  out += "MIME-Version: 1.0\r\n";

  Entity body;
  if (mail.has_text && mail.has_html) {
    body = multipart("alternative",
                     {text_entity(mail.text, "plain", mail.encoding), text_entity(mail.html, "html", mail.encoding)},
                     random_token);
  } else if (mail.has_html) {
    body = text_entity(mail.html, "html", mail.encoding);
  } else {
    body = text_entity(mail.has_text ? mail.text : std::string(), "plain", mail.encoding);
  }
  if (!mail.attachments.empty()) {
    std::vector<Entity> parts{std::move(body)};
    for (size_t i = 0; i < mail.attachments.size(); ++i) parts.push_back(attachment_entity(mail.attachments[i], i));
    body = multipart("mixed", parts, random_token);
  }
  out += body.headers + "\r\n" + body.body;
  if (!out.empty() && out.back() != '\n') out += "\r\n";
  return out;
}

}  // namespace ferry::email
