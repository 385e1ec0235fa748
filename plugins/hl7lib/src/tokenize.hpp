// Cutting encoded text at delimiters; nothing here decodes escapes.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "ferry/hl7/message.hpp"

namespace ferry::hl7::detail {

// The pieces of `s` between `sep`s; always at least one (maybe empty) piece.
std::vector<std::string_view> split(std::string_view s, char sep);

// Three characters A-Z/0-9, the first a letter.
bool valid_segment_name(std::string_view name);

// True for the names that open or close a message, batch or file: they
// never appear inside a single message.
bool is_envelope_segment(std::string_view name);

// A segment's fields numbered the way HL7 numbers them. In a header segment
// (MSH) MSH-1 is the field separator itself and MSH-2 the encoding
// characters, so the numbering is shifted by one against the text.
class Fields {
 public:
  Fields(std::string_view segment_text, bool header, char field_separator);
  // The highest field number present; 0 for a segment that is only a name.
  size_t count() const { return count_; }
  // Field `number` (1..count()) as encoded text.
  std::string_view get(size_t number) const;

 private:
  std::string_view msh1_;
  std::vector<std::string_view> rest_;  // from SEG-1, or from MSH-2 in a header
  bool header_;
  size_t count_ = 0;
};

// Checks one segment of an input message: its name and the limits on
// fields, repetitions, components and subcomponents. `number` is 1-based,
// `offset` where the segment starts in the input; `header` for the MSH
// that opens the message. Throws ParseError.
void check_segment(std::string_view text, size_t number, bool header, const Delimiters& d, const Limits& limits,
                   size_t offset);

// Subcomponents share max_components: Limits has no field of their own.
inline size_t max_subcomponents(const Limits& limits) { return limits.max_components; }

}  // namespace ferry::hl7::detail
