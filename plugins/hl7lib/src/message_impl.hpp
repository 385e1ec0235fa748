// Message::Impl, shared by the files that implement Message.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "charset.hpp"
#include "ferry/hl7/message.hpp"

namespace ferry::hl7 {

namespace detail {

struct Segment {
  std::string text;  // encoded (escapes unresolved), in UTF-8, no terminator
  // The CR/LF run that followed the segment in the input, blank lines
  // included, so that unmodified messages serialize byte-identical. Empty
  // for segments added later and for an input's unterminated last segment.
  std::string term;
};

// The charset MSH-18 of `msh_text` (the MSH segment) names, nullopt with
// `error` set for one that is not supported.
std::optional<Charset> charset_of_msh(std::string_view msh_text, const Delimiters& d, std::string& error);

// Message::Impl's data, as a type of its own so that file-local helpers
// can take it (Message::Impl is private to Message).
struct MessageData {
  Delimiters delimiters;
  detail::Charset charset = detail::Charset::ascii;
  Limits limits;
  std::string prefix;  // bytes before MSH (a UTF-8 BOM, blank lines), kept verbatim
  std::vector<detail::Segment> segments;  // segments[0] is the MSH
  std::string style = "\r";  // terminator for segments without their own
  bool trailing = true;      // whether the last segment is terminated
  size_t text_bytes = 0;     // sum of segment text sizes, for max_message_bytes
};

}  // namespace detail

struct Message::Impl : detail::MessageData {};

}  // namespace ferry::hl7
