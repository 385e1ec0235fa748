// Reads a received mail: header fields, Content-Type/-Disposition
// parameters (with RFC 2231 and RFC 2047 names), the multipart tree, and the
// decoded bytes or text of each part. Built for untrusted input: it never
// throws on malformed mail, and nesting and part counts are bounded.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace ferry::email {

struct HeaderField {
  std::string name;
  std::string value;  // unfolded, as received (encoded-words not decoded)
};

struct HeaderList {
  std::vector<HeaderField> fields;
  // The first field of that name (case-insensitive), or nullptr.
  const std::string* get(std::string_view name) const;
};

// A structured field such as Content-Type: its lowercased main value and
// its parameters (lowercased names; values unquoted, RFC 2231 continuations
// joined and decoded to UTF-8).
struct ContentField {
  std::string value;
  std::map<std::string, std::string> params;
  std::string param(const std::string& name) const;
};
ContentField parse_content_field(std::string_view raw);

struct MimePart {
  HeaderList headers;
  ContentField type;         // "text/plain" when absent
  ContentField disposition;  // value "" when absent
  std::string transfer_encoding;  // lowercased, "7bit" when absent
  std::string_view body;     // still transfer-encoded; a view into the mail
  std::vector<MimePart> parts;    // children of a multipart entity
};

struct ParseLimits {
  size_t max_depth = 20;
  size_t max_parts = 1000;
};

// The mail must outlive the result (bodies are views into it).
MimePart parse_mail(std::string_view raw, const ParseLimits& limits = {});

// The body with its transfer encoding undone (base64, quoted-printable;
// anything else as it is). Broken base64 gives what could be decoded.
std::string decoded_body(const MimePart& part);
// The decoded body of a text part converted from its charset to UTF-8.
std::string decoded_text(const MimePart& part);
// The part's file name (Content-Disposition filename, else Content-Type
// name), encoded-words decoded; "" if it has none.
std::string file_name(const MimePart& part);

// Leaf parts in document order (multipart containers are not listed; an
// attached message/rfc822 is a leaf).
std::vector<const MimePart*> leaves(const MimePart& root);
// A leaf is an attachment when its disposition says so or it has a name.
bool is_attachment(const MimePart& part);
// The text body: the first text/plain leaf that is not an attachment, else
// the first such text/html leaf; nullptr if there is none.
const MimePart* text_body(const MimePart& root);

}  // namespace ferry::email
