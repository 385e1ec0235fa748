// The encoding characters a message declares in MSH-1 and MSH-2.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "ferry/hl7/message.hpp"

namespace ferry::hl7::detail {

// Why `d` cannot be used to encode a message, or nullopt when it can.
std::optional<std::string> delimiter_problem(const Delimiters& d);

// MSH-2 as written: component, repetition, escape, subcomponent and, when
// present, truncation.
std::string encoding_characters(const Delimiters& d);

// Reads MSH-1 and MSH-2 of the header segment whose name starts at
// bytes[start]. Throws ParseError (offsets into `bytes`).
Delimiters read_delimiters(std::string_view bytes, size_t start);

// True for the characters that split a message: CR and LF.
inline bool is_segment_break(char c) { return c == '\r' || c == '\n'; }

}  // namespace ferry::hl7::detail
