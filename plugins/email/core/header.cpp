#include "header.hpp"

#include <cctype>
#include <vector>

#include "charset.hpp"
#include "encoding.hpp"

namespace ferry::email {

namespace {

// Bytes of UTF-8 text per B encoded-word: 39 bytes are 52 base64
// characters, 64 with the "=?UTF-8?B?" and "?=" around them, so even after
// "Subject: " a line stays within 78 characters.
constexpr size_t kWordBytes = 39;

bool is_atext(unsigned char c) {
  return std::isalnum(c) != 0 || std::string_view("!#$%&'*+-/=?^_`{|}~").find(static_cast<char>(c)) != std::string_view::npos;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// Splits valid UTF-8 into pieces of at most max bytes, on character starts.
std::vector<std::string_view> utf8_chunks(std::string_view s, size_t max) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (start < s.size()) {
    size_t end = std::min(s.size(), start + max);
    while (end < s.size() && end > start + 1 && (static_cast<unsigned char>(s[end]) & 0xC0u) == 0x80u) --end;
    out.push_back(s.substr(start, end - start));
    start = end;
  }
  return out;
}

// One encoded-word "=?charset?B|Q?text?=" at s[pos]; on success its decoded
// UTF-8 and the position after it.
bool decode_word(std::string_view s, size_t pos, std::string& text, size_t& end) {
  if (s.compare(pos, 2, "=?") != 0) return false;
  const size_t q1 = s.find('?', pos + 2);
  if (q1 == std::string_view::npos || q1 + 2 >= s.size() || s[q1 + 2] != '?') return false;
  const char enc = static_cast<char>(std::toupper(static_cast<unsigned char>(s[q1 + 1])));
  const size_t close = s.find("?=", q1 + 3);
  if (close == std::string_view::npos) return false;
  std::string_view charset = s.substr(pos + 2, q1 - pos - 2);
  if (const size_t star = charset.find('*'); star != std::string_view::npos) charset = charset.substr(0, star);  // RFC 2231 language
  const std::string_view payload = s.substr(q1 + 3, close - q1 - 3);
  if (charset.empty() || payload.find_first_of(" \t") != std::string_view::npos) return false;
  std::string bytes;
  if (enc == 'B') {
    auto decoded = base64_decode(payload);
    if (!decoded) return false;
    bytes = std::move(*decoded);
  } else if (enc == 'Q') {
    for (size_t i = 0; i < payload.size(); ++i) {
      const char c = payload[i];
      if (c == '_') {
        bytes += ' ';
      } else if (c == '=' && i + 2 < payload.size() && hex_value(payload[i + 1]) >= 0 &&
                 hex_value(payload[i + 2]) >= 0) {
        bytes += static_cast<char>(hex_value(payload[i + 1]) * 16 + hex_value(payload[i + 2]));
        i += 2;
      } else {
        bytes += c;
      }
    }
  } else {
    return false;
  }
  text = to_utf8(bytes, charset);
  end = close + 2;
  return true;
}

}  // namespace

std::string clean_header_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const unsigned char u = static_cast<unsigned char>(c);
    out += (u < 0x20 && c != '\t') || u == 0x7F ? ' ' : c;
  }
  return repair_utf8(out);
}

std::string encoded_words(std::string_view utf8, std::string_view separator) {
  std::string out;
  for (const std::string_view chunk : utf8_chunks(utf8, kWordBytes)) {
    if (!out.empty()) out += separator;
    out += "=?UTF-8?B?";
    out += base64_encode(chunk);
    out += "?=";
  }
  return out;
}

std::string unstructured_header(std::string_view name, std::string_view value) {
  const std::string text = clean_header_text(value);
  std::string out(name);
  out += ':';
  // Plain ASCII that a reader could not mistake for an encoded-word, and
  // whose words fit on a line, is written as it is (folded at spaces).
  bool plain = is_ascii(text) && text.find("=?") == std::string::npos;
  std::vector<std::string_view> words;
  if (plain) {
    size_t start = 0;
    while (start <= text.size()) {
      const size_t space = text.find(' ', start);
      const size_t end = space == std::string::npos ? text.size() : space;
      words.push_back(std::string_view(text).substr(start, end - start));
      if (words.back().size() > 900) plain = false;
      if (space == std::string::npos) break;
      start = space + 1;
    }
  }
  if (!plain) {
    if (!text.empty()) out += ' ' + encoded_words(text, "\r\n ");
    return out + "\r\n";
  }
  if (text.empty()) return out + "\r\n";
  size_t column = out.size();
  for (const std::string_view word : words) {
    // Each word keeps the single space before it; a fold puts CRLF in front
    // of that space, which readers remove again when unfolding.
    if (column + 1 + word.size() > 78 && column > name.size() + 1) {
      out += "\r\n";
      column = 0;
    }
    out += ' ';
    out += word;
    column += 1 + word.size();
  }
  return out + "\r\n";
}

std::string encode_phrase(std::string_view name) {
  const std::string text = clean_header_text(name);
  if (!is_ascii(text)) return encoded_words(text, " ");
  bool atoms = !text.empty() && text.front() != ' ' && text.back() != ' ';
  for (const char c : text)
    if (c != ' ' && !is_atext(static_cast<unsigned char>(c))) atoms = false;
  if (atoms && text.find("  ") == std::string::npos) return text;
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + '"';
}

std::string decode_header_text(std::string_view value) {
  std::string out;
  size_t i = 0;
  bool after_word = false;  // blanks between two encoded-words are dropped
  std::string pending_blanks;
  while (i < value.size()) {
    std::string text;
    size_t end = 0;
    if (value[i] == '=' && decode_word(value, i, text, end)) {
      if (!after_word) out += pending_blanks;
      pending_blanks.clear();
      out += text;
      i = end;
      after_word = true;
      continue;
    }
    const char c = value[i];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      pending_blanks += c == '\t' ? '\t' : ' ';
      ++i;
      continue;
    }
    out += pending_blanks;
    pending_blanks.clear();
    out += c;
    after_word = false;
    ++i;
  }
  out += pending_blanks;
  return repair_utf8(out);
}

std::string unfold(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (size_t i = 0; i < value.size(); ++i) {
    if (value[i] == '\r' && i + 1 < value.size() && value[i + 1] == '\n') {
      ++i;
      continue;
    }
    if (value[i] == '\n') continue;
    out += value[i];
  }
  return out;
}

}  // namespace ferry::email
