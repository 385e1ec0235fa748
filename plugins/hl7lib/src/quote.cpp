#include "quote.hpp"

namespace ferry::hl7::detail {

std::string quote(std::string_view text, size_t max_chars) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out = "\"";
  const size_t n = text.size() < max_chars ? text.size() : max_chars;
  for (size_t i = 0; i < n; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
      out += static_cast<char>(c);
    } else {
      out += "\\x";
      out += hex[c >> 4];
      out += hex[c & 0xF];
    }
  }
  out += n < text.size() ? "\"..." : "\"";
  return out;
}

}  // namespace ferry::hl7::detail
