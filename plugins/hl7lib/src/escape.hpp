// HL7 escape sequences (v2.5 section 2.7) in one leaf value.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "charset.hpp"
#include "ferry/hl7/message.hpp"

namespace ferry::hl7::detail {

// Encoded leaf text (no unescaped delimiters left in it) to its value:
// \F\ \S\ \T\ \R\ \E\ (and \P\ when MSH-2 declares a truncation character)
// become the delimiter, \Xhh..\ the bytes it names (read in `cs`). Anything
// else between escape characters - formatting (\.br\, \H\, \N\ ...),
// \Zxx\, \Cxxxx\, \Mxxxxxx\ and malformed sequences - is kept exactly as
// written, so that nothing the library cannot render is silently lost.
std::string decode(std::string_view raw, const Delimiters& d, Charset cs);

// A value to encoded leaf text: delimiters become their escapes, CR and LF
// \X0D\ and \X0A\ (they would otherwise end the segment), and an escape
// character that starts a formatting sequence decode() keeps is kept too.
// decode(encode(v)) == v for every v.
std::string encode(std::string_view value, const Delimiters& d);

// Length of the formatting sequence encode() keeps at text[0] (which is the
// escape character), 0 if there is none.
size_t formatting_sequence_length(std::string_view text, const Delimiters& d);

}  // namespace ferry::hl7::detail
