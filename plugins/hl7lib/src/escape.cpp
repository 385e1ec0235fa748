#include "escape.hpp"

namespace ferry::hl7::detail {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

bool all_hex(std::string_view s) {
  for (const char c : s) {
    if (hex_value(c) < 0) return false;
  }
  return true;
}

bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool is_delimiter(char c, const Delimiters& d) {
  return c == d.field || c == d.component || c == d.repetition || c == d.escape || c == d.subcomponent ||
         (d.truncation != 0 && c == d.truncation) || c == '\r' || c == '\n';
}

// \.br\, \.sp3\, \.in+4\ ...: a dot, a two-letter command, an optional
// signed count (section 2.7.6).
bool is_formatting_command(std::string_view body) {
  if (body.size() < 3 || body[0] != '.' || !is_letter(body[1]) || !is_letter(body[2])) return false;
  std::string_view rest = body.substr(3);
  if (rest.empty()) return true;
  if (rest[0] == '+' || rest[0] == '-') rest.remove_prefix(1);
  if (rest.empty() || rest.size() > 6) return false;
  for (const char c : rest) {
    if (!is_digit(c)) return false;
  }
  return true;
}

bool is_kept_sequence(std::string_view body) {
  if (body == "H" || body == "N") return true;  // highlighting on/off
  if (is_formatting_command(body)) return true;
  if (body[0] == 'Z') {  // locally defined
    if (body.size() < 2 || body.size() > 65) return false;
    for (const char c : body.substr(1)) {
      if (!is_letter(c) && !is_digit(c)) return false;
    }
    return true;
  }
  // Character set switches (section 2.7.2): kept, not interpreted.
  if (body[0] == 'C') return body.size() == 5 && all_hex(body.substr(1));
  if (body[0] == 'M') return (body.size() == 5 || body.size() == 7) && all_hex(body.substr(1));
  return false;
}

}  // namespace

size_t formatting_sequence_length(std::string_view text, const Delimiters& d) {
  if (text.empty() || text[0] != d.escape) return 0;
  const size_t end = text.find(d.escape, 1);
  if (end == std::string_view::npos || end == 1) return 0;
  const std::string_view body = text.substr(1, end - 1);
  // A kept sequence is copied into the encoded text as it is, so it must not
  // smuggle a delimiter (possible with alternate delimiters such as '+').
  for (const char c : body) {
    if (is_delimiter(c, d)) return 0;
  }
  return is_kept_sequence(body) ? end + 1 : 0;
}

std::string decode(std::string_view raw, const Delimiters& d, Charset cs) {
  std::string out;
  out.reserve(raw.size());
  size_t i = 0;
  while (i < raw.size()) {
    const size_t esc = raw.find(d.escape, i);
    if (esc == std::string_view::npos) {
      out.append(raw.substr(i));
      break;
    }
    out.append(raw.substr(i, esc - i));
    const size_t end = raw.find(d.escape, esc + 1);
    if (end == std::string_view::npos) {  // a lone escape character: data
      out.append(raw.substr(esc));
      break;
    }
    const std::string_view body = raw.substr(esc + 1, end - esc - 1);
    i = end + 1;
    if (body.size() == 1) {
      switch (body[0]) {
        case 'F': out += d.field; continue;
        case 'S': out += d.component; continue;
        case 'T': out += d.subcomponent; continue;
        case 'R': out += d.repetition; continue;
        case 'E': out += d.escape; continue;
        case 'P':
          if (d.truncation != 0) {
            out += d.truncation;
            continue;
          }
          break;
        default: break;
      }
    }
    if (body.size() >= 3 && body[0] == 'X' && body.size() % 2 == 1 && all_hex(body.substr(1))) {
      std::string bytes;
      for (size_t k = 1; k < body.size(); k += 2) {
        bytes += static_cast<char>(hex_value(body[k]) * 16 + hex_value(body[k + 1]));
      }
      // Only bytes that form text in the message's charset are decoded;
      // others are kept as the escape so values stay valid UTF-8.
      if (cs == Charset::latin1) {
        out += to_utf8(bytes, cs);
        continue;
      }
      if (invalid_utf8_at(bytes) == std::string_view::npos) {
        out += bytes;
        continue;
      }
    }
    out.append(raw.substr(esc, end - esc + 1));
  }
  return out;
}

std::string encode(std::string_view value, const Delimiters& d) {
  std::string out;
  out.reserve(value.size());
  const auto escape = [&](const char* code) {
    out += d.escape;
    out += code;
    out += d.escape;
  };
  for (size_t i = 0; i < value.size(); ++i) {
    const char c = value[i];
    if (c == d.escape) {
      if (const size_t n = formatting_sequence_length(value.substr(i), d)) {
        out.append(value.substr(i, n));
        i += n - 1;
      } else {
        escape("E");
      }
    } else if (c == d.field) {
      escape("F");
    } else if (c == d.component) {
      escape("S");
    } else if (c == d.subcomponent) {
      escape("T");
    } else if (c == d.repetition) {
      escape("R");
    } else if (d.truncation != 0 && c == d.truncation) {
      escape("P");
    } else if (c == '\r') {
      escape("X0D");
    } else if (c == '\n') {
      escape("X0A");
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace ferry::hl7::detail
