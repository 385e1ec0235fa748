// Builds a complete RFC 5322 / MIME message from its parts: the headers
// (encoded and folded), a text and/or HTML body (multipart/alternative when
// both), and attachments (multipart/mixed). Lines end in CRLF and none is
// longer than 998 bytes, so the result goes over SMTP as it is.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "address.hpp"

namespace ferry::email {

enum class BodyEncoding { automatic, quoted_printable, base64 };

struct Attachment {
  std::string name;  // file name, UTF-8
  std::string type;  // MIME type, e.g. application/pdf
  std::string data;  // the bytes
};

struct Mail {
  Address from;
  std::vector<Address> to, cc, reply_to;  // Bcc never appears in the headers
  std::string subject;
  std::string text, html;  // UTF-8; used when has_text / has_html
  bool has_text = false, has_html = false;
  std::vector<Attachment> attachments;
  std::vector<std::pair<std::string, std::string>> extra_headers;  // checked names, any value
  std::string message_id;  // with angle brackets
  std::chrono::system_clock::time_point date;
  BodyEncoding encoding = BodyEncoding::automatic;
};

// random_token gives the unique part of each multipart boundary.
std::string build_message(const Mail& mail, const std::function<std::string()>& random_token);

// "Thu, 26 Nov 2026 07:34:00 +0000" (RFC 5322 date-time, UTC).
std::string rfc5322_date(std::chrono::system_clock::time_point t);

// type/subtype made of RFC 2045 token characters.
bool valid_mime_type(std::string_view type);

// A header field name (printable ASCII without ':') that the builder does
// not write itself.
bool allowed_extra_header(std::string_view name);

// A file name fit for Content-Disposition: no control characters, path
// separators or quotes; never empty (fallback).
std::string safe_file_name(std::string_view name, std::string_view fallback);

}  // namespace ferry::email
