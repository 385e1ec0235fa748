// Message templates shared by the in-tree destinations (file names, HTTP
// URLs/headers/bodies, email fields): "${PID-3.1}", "${/patient/id}",
// "${meta:KEY}", "${message_id}"... Not part of the plugin ABI.
//
// Placeholders (docs/templates.md is the user-facing reference):
//   ${message_id}  ${channel}  ${content}  ${content_type}
//   ${timestamp}   20261126T045639.123Z (UTC, sorts, safe in file names)
//   ${iso_time}    2026-11-26T04:56:39.123Z
//   ${date}        20261126 (UTC)
//   ${uuid}        random RFC 4122 version 4 UUID
//   ${meta:KEY}    a metadata value
//   ${PID-3[2].1}  an HL7 v2 path (the content parsed as HL7, once per message)
//   ${/a/0/b}      a JSON pointer (the content parsed as JSON, once per message)
//   ${X:-default}  any of the above with a fallback when missing or empty
//   $${            a literal "${"
// A missing value expands to "" (or the fallback). Templates are parsed once
// (at component create) so a typo is a config error, not a per-message one.
#pragma once

#include <ferry/plugin.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ferry::tmpl {

// How expanded values (never the literal text around them) are made safe for
// where they go.
enum class Escape {
  none,
  url_component,  // percent-encode everything but RFC 3986 unreserved
  header,         // CR, LF and NUL become spaces: no header injection
  json_string,    // JSON string escapes, without the surrounding quotes
};

// One message's view for expanding templates: parses the content as HL7 or
// JSON at most once however many templates and placeholders use it.
class Context {
 public:
  // `channel` is the channel id when the caller knows it ("" otherwise).
  // The message must outlive the context.
  explicit Context(const ferry::Message& message, std::string channel = {},
                   std::chrono::system_clock::time_point now = std::chrono::system_clock::now());
  ~Context();
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;

  const ferry::Message& message() const { return message_; }
  const std::string& channel() const { return channel_; }
  std::chrono::system_clock::time_point now() const { return now_; }

  // A field at an HL7 path; nullopt when the content is not HL7 or the field
  // is absent.
  std::optional<std::string> hl7(std::string_view path) const;
  // The value at a JSON pointer, strings unquoted, other values as compact
  // JSON; nullopt when the content is not JSON or the pointer is absent.
  std::optional<std::string> json(std::string_view pointer) const;

 private:
  struct Parsed;
  const ferry::Message& message_;
  std::string channel_;
  std::chrono::system_clock::time_point now_;
  mutable std::unique_ptr<Parsed> parsed_;
};

class Template {
 public:
  // Throws ferry::Error naming `what` (e.g. "url") and the bad placeholder.
  explicit Template(std::string_view text, std::string_view what = "template");

  std::string expand(const Context& context, Escape escape = Escape::none) const;

  // True when the text has no placeholders (expand() always gives it back).
  bool is_literal() const;
  const std::string& text() const { return source_; }

  enum class Kind { literal, message_id, channel, content, content_type, timestamp, iso_time, date, uuid, meta, hl7, json };
  struct Part {
    Kind kind;
    std::string text;  // literal text, metadata key, HL7 path or JSON pointer
    std::optional<std::string> fallback;
  };
  const std::vector<Part>& parts() const { return parts_; }

 private:
  std::string source_;
  std::vector<Part> parts_;
};

// Value helpers the placeholders use, shared with code that needs the same
// formats.
std::string compact_timestamp(std::chrono::system_clock::time_point t);  // 20261126T045639.123Z
std::string compact_date(std::chrono::system_clock::time_point t);       // 20261126
std::string iso8601(std::chrono::system_clock::time_point t);            // 2026-11-26T04:56:39.123Z
std::string random_hex(size_t bytes);  // from the kernel CSPRNG
std::string uuid_v4();
std::string escape(std::string_view value, Escape how);

}  // namespace ferry::tmpl
