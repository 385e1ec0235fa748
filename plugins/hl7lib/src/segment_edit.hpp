// Reading and changing the value a Path names inside one encoded segment.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "ferry/hl7/message.hpp"

namespace ferry::hl7::detail {

struct Node {
  enum Kind {
    leaf,       // a value to decode
    composite,  // has components or subcomponents: returned encoded, since
                // decoding would make its separators ambiguous
    verbatim,   // MSH-1 / MSH-2: the delimiters themselves, never decoded
  };
  std::string_view raw;
  Kind kind;
};

// The node `p` (field >= 1) names in `segment_text`, nullopt when absent.
// `header` for the MSH that opens a message.
std::optional<Node> locate(std::string_view segment_text, bool header, const Delimiters& d, const Path& p);

// `segment_text` with `encoded` (leaf text, already escaped) at `p`,
// creating the fields, repetitions, components and subcomponents that are
// missing. With `trim`, empty trailing elements left behind are dropped:
// that is how clear() removes a value rather than blanking it. Throws
// std::invalid_argument for MSH-1/MSH-2 and for numbers over the limits.
std::string assign(std::string_view segment_text, bool header, const Delimiters& d, const Path& p,
                   std::string_view encoded, const Limits& limits, bool trim);

}  // namespace ferry::hl7::detail
