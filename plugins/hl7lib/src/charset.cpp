#include "charset.hpp"

#include <cstdint>
#include <cstring>

#include "quote.hpp"

namespace ferry::hl7::detail {

namespace {

// Length of the well-formed UTF-8 sequence at bytes[i], 0 if there is none.
size_t utf8_sequence_at(std::string_view bytes, size_t i, uint32_t* code_point = nullptr) {
  const auto b0 = static_cast<unsigned char>(bytes[i]);
  if (b0 < 0x80) {
    if (code_point) *code_point = b0;
    return 1;
  }
  size_t len;
  uint32_t cp;
  uint32_t min;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2, cp = b0 & 0x1F, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3, cp = b0 & 0x0F, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4, cp = b0 & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (bytes.size() - i < len) return 0;
  for (size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(bytes[i + k]);
    if ((b & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  if (code_point) *code_point = cp;
  return len;
}

std::string normalize_name(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  std::string out(s);
  for (auto& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

}  // namespace

std::string_view supported_charsets() { return "ASCII, UNICODE UTF-8, UTF-8, 8859/1, ISO-8859-1"; }

std::optional<Charset> charset_named(std::string_view value, std::string& error) {
  const std::string name = normalize_name(value);
  if (name.empty() || name == "ASCII") return Charset::ascii;
  if (name == "UNICODE UTF-8" || name == "UTF-8") return Charset::utf8;
  if (name == "8859/1" || name == "ISO-8859-1" || name == "ISO 8859-1" || name == "ISO8859-1") return Charset::latin1;
  error = "MSH-18 character set " + quote(value) + " is not supported (supported: " + std::string(supported_charsets()) + ")";
  return std::nullopt;
}

size_t invalid_utf8_at(std::string_view bytes) {
  constexpr uint64_t kHighBits = 0x8080808080808080ULL;
  for (size_t i = 0; i < bytes.size();) {
    // Nearly all HL7 is ASCII: skip it eight bytes at a time.
    if (bytes.size() - i >= sizeof(uint64_t)) {
      uint64_t word = 0;
      std::memcpy(&word, bytes.data() + i, sizeof word);
      if ((word & kHighBits) == 0) {
        i += sizeof word;
        continue;
      }
    }
    const size_t len = utf8_sequence_at(bytes, i);
    if (len == 0) return i;
    i += len;
  }
  return std::string_view::npos;
}

std::string to_utf8(std::string_view bytes, Charset cs) {
  if (cs != Charset::latin1) return std::string(bytes);
  std::string out;
  out.reserve(bytes.size());
  for (const char ch : bytes) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x80) {
      out += ch;
    } else {
      out += static_cast<char>(0xC0 | (c >> 6));
      out += static_cast<char>(0x80 | (c & 0x3F));
    }
  }
  return out;
}

std::optional<std::string> from_utf8(std::string_view text, Charset cs) {
  if (invalid_utf8_at(text) != std::string_view::npos) return std::nullopt;
  if (cs != Charset::latin1) return std::string(text);
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    uint32_t cp = 0;
    const size_t len = utf8_sequence_at(text, i, &cp);
    if (cp > 0xFF) return std::nullopt;
    out += static_cast<char>(static_cast<unsigned char>(cp));
    i += len;
  }
  return out;
}

std::string from_utf8_lossy(std::string_view text, Charset cs) {
  if (cs != Charset::latin1 && invalid_utf8_at(text) == std::string_view::npos) return std::string(text);
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    uint32_t cp = 0;
    const size_t len = utf8_sequence_at(text, i, &cp);
    if (len == 0) {
      out += '?';
      ++i;
      continue;
    }
    if (cs == Charset::latin1) {
      out += cp > 0xFF ? '?' : static_cast<char>(static_cast<unsigned char>(cp));
    } else {
      out.append(text.substr(i, len));
    }
    i += len;
  }
  return out;
}

std::string sanitize_utf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  for (size_t i = 0; i < bytes.size();) {
    const size_t len = utf8_sequence_at(bytes, i);
    if (len == 0) {
      out += '?';
      ++i;
    } else {
      out.append(bytes.substr(i, len));
      i += len;
    }
  }
  return out;
}

}  // namespace ferry::hl7::detail
