// HL7 v2 messages: parse, read and change by path, serialize. Shared by the
// in-tree plugins; not part of the plugin ABI.
//
// Lossless: an unmodified message serializes byte-identical to its input;
// a modified one re-encodes only the segments that changed.
#pragma once

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace ferry::hl7 {

struct Delimiters {
  char field = '|';
  char component = '^';
  char repetition = '~';
  char escape = '\\';
  char subcomponent = '&';
  char truncation = 0;  // v2.7+ (the fifth MSH-2 character), 0 when absent
};

struct Limits {
  size_t max_message_bytes = 16 * 1024 * 1024;
  size_t max_segments = 100000;
  size_t max_fields_per_segment = 1000;
  size_t max_repetitions = 1000;
  size_t max_components = 1000;
};

// Why input is not a usable HL7 message; offset is a byte position in it.
struct ParseError : std::runtime_error {
  ParseError(const std::string& what, size_t offset) : std::runtime_error(what), offset(offset) {}
  size_t offset;
};

// A path names one value: SEG[occurrence]-field[repetition].component.subcomponent
// with 1-based numbers; omitted parts default to 1 (occurrence, repetition)
// or "the whole" (component, subcomponent). Examples: "MSH-10", "PID-3[2].1",
// "OBX[3]-5", "PID-5.1.2". Throws std::invalid_argument for a bad path.
struct Path {
  std::string segment;
  size_t occurrence = 1;
  size_t field = 0;  // 0: the whole segment
  size_t repetition = 1;
  size_t component = 0;     // 0: the whole field repetition
  size_t subcomponent = 0;  // 0: the whole component
  static Path parse(std::string_view text);
};

class Message {
 public:
  // Throws ParseError. Segment separators may be CR, LF or CRLF. Text is
  // converted to UTF-8 from the MSH-18 character set (ASCII, UTF-8,
  // ISO-8859-1 / 8859/1); serialize() converts back.
  static Message parse(std::string_view bytes, const Limits& limits = {});

  std::string serialize() const;
  const Delimiters& delimiters() const;

  size_t segment_count() const;
  std::string segment_name(size_t index) const;
  // The raw (encoded) text of segment `index`, without its terminator.
  // UTF-8 like every value; only serialize() writes MSH-18's charset.
  std::string segment_text(size_t index) const;

  // The decoded value at path (escapes resolved), std::nullopt when absent.
  // An HL7 null ("" in the message) reads as the two characters "\"\"".
  // Exceptions to decoding (docs/hl7.md): a composite value (one with
  // components or subcomponents) and a path without a field (the whole
  // segment) read as their encoded text, MSH-1 and MSH-2 as written.
  std::optional<std::string> get(std::string_view path) const;
  // Set the value at path (escaping delimiters), creating what is missing.
  // Throws std::invalid_argument (and changes nothing) for MSH-1/MSH-2, a
  // path without a field, text that is not UTF-8 or not representable in
  // MSH-18's charset, and beyond the limits.
  void set(std::string_view path, std::string_view value);
  // Remove the value at path (it becomes empty).
  void clear(std::string_view path);

  // Insert a segment given as encoded text before `index` (or at the end).
  // Index 0 (before the MSH) and a second MSH throw std::invalid_argument,
  // an index past the end std::out_of_range.
  void insert_segment(std::string_view text, std::optional<size_t> index = std::nullopt);
  void remove_segment(size_t index);

  // Shortcuts for MSH fields.
  std::string control_id() const;    // MSH-10
  std::string message_type() const;  // MSH-9 as "ADT^A01"
  std::string version() const;       // MSH-12

  // The documented JSON form (docs/hl7-json.md), and back. from_json
  // throws std::invalid_argument naming the JSON pointer at fault.
  nlohmann::json to_json() const;
  static Message from_json(const nlohmann::json& json);

  Message(const Message&);
  Message(Message&&) noexcept;
  Message& operator=(const Message&);
  Message& operator=(Message&&) noexcept;
  ~Message();

 private:
  Message();
  struct Impl;
  Impl* impl_;
};

// Split a batch (FHS/BHS ... BTS/FTS) or plain concatenated messages into
// single messages (each starting with MSH). Throws ParseError when no MSH,
// or when a segment lies outside any message.
std::vector<std::string> split_messages(std::string_view bytes);

}  // namespace ferry::hl7
