#include "delimiters.hpp"

#include "quote.hpp"

namespace ferry::hl7::detail {

namespace {

// Letters and digits would collide with segment names and ordinary text,
// space and control characters with the segment breaks and with the
// whitespace senders add, '"' with the HL7 null (""); anything else
// printable is allowed, as the standard permits alternate delimiters.
bool usable(char c) {
  const auto u = static_cast<unsigned char>(c);
  if (u <= 0x20 || u >= 0x7F || c == '"') return false;
  return !((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'));
}

}  // namespace

std::optional<std::string> delimiter_problem(const Delimiters& d) {
  const struct {
    char c;
    const char* name;
  } all[] = {{d.field, "field separator"},   {d.component, "component separator"},
             {d.repetition, "repetition separator"}, {d.escape, "escape character"},
             {d.subcomponent, "subcomponent separator"}, {d.truncation, "truncation character"}};
  const size_t n = d.truncation == 0 ? 5 : 6;
  for (size_t i = 0; i < n; ++i) {
    if (!usable(all[i].c)) {
      return std::string(all[i].name) + " " + quote(std::string_view(&all[i].c, 1)) +
             " is not usable (must be printable ASCII, not a letter, digit, space or double quote)";
    }
    for (size_t k = 0; k < i; ++k) {
      if (all[i].c == all[k].c) {
        return std::string(all[k].name) + " and " + all[i].name + " are the same character " +
               quote(std::string_view(&all[i].c, 1));
      }
    }
  }
  return std::nullopt;
}

std::string encoding_characters(const Delimiters& d) {
  std::string s{d.component, d.repetition, d.escape, d.subcomponent};
  if (d.truncation != 0) s += d.truncation;
  return s;
}

Delimiters read_delimiters(std::string_view bytes, size_t start) {
  const size_t sep_at = start + 3;
  if (sep_at >= bytes.size() || is_segment_break(bytes[sep_at])) {
    throw ParseError("offset " + std::to_string(sep_at) + ": MSH ends before MSH-1 (the field separator)", sep_at);
  }
  Delimiters d;
  d.field = bytes[sep_at];
  size_t end = sep_at + 1;
  while (end < bytes.size() && bytes[end] != d.field && !is_segment_break(bytes[end])) ++end;
  const std::string_view enc = bytes.substr(sep_at + 1, end - sep_at - 1);
  if (enc.size() != 4 && enc.size() != 5) {
    throw ParseError("offset " + std::to_string(sep_at + 1) + ": MSH-2 " + quote(enc) +
                         " must be 4 encoding characters (component, repetition, escape, subcomponent)"
                         " or 5 with the truncation character",
                     sep_at + 1);
  }
  d.component = enc[0];
  d.repetition = enc[1];
  d.escape = enc[2];
  d.subcomponent = enc[3];
  d.truncation = enc.size() == 5 ? enc[4] : 0;
  if (enc.size() == 5 && enc[4] == 0) {
    // 0 means "no truncation character" in Delimiters, so a NUL here could
    // not be written back.
    throw ParseError("offset " + std::to_string(sep_at + 5) + ": MSH-1/MSH-2: truncation character \"\\x00\" is not usable",
                     sep_at + 5);
  }
  if (auto problem = delimiter_problem(d)) {
    throw ParseError("offset " + std::to_string(sep_at) + ": MSH-1/MSH-2: " + *problem, sep_at);
  }
  return d;
}

}  // namespace ferry::hl7::detail
