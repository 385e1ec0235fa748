#include "imap_protocol.hpp"

#include <algorithm>
#include <cctype>

namespace ferry::email {

namespace {

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// "{123}" or "{123+}" at the end of a line: the literal's size.
std::optional<size_t> literal_size(std::string_view line) {
  if (line.empty() || line.back() != '}') return std::nullopt;
  const size_t open = line.rfind('{');
  if (open == std::string_view::npos) return std::nullopt;
  std::string_view digits = line.substr(open + 1, line.size() - open - 2);
  if (!digits.empty() && digits.back() == '+') digits.remove_suffix(1);
  if (digits.empty() || digits.size() > 12) return std::nullopt;
  size_t n = 0;
  for (const char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + static_cast<size_t>(c - '0');
  }
  return n;
}

bool parse_number(std::string_view s, uint64_t& out) {
  if (s.empty() || s.size() > 19) return false;
  uint64_t n = 0;
  for (const char c : s) {
    if (c < '0' || c > '9') return false;
    n = n * 10 + static_cast<uint64_t>(c - '0');
  }
  out = n;
  return true;
}

class ValueParser {
 public:
  ValueParser(std::string_view text, const std::vector<std::string>& literals) : s_(text), literals_(literals) {}

  std::vector<ImapValue> all() {
    std::vector<ImapValue> out;
    for (;;) {
      skip_spaces();
      if (pos_ >= s_.size()) return out;
      if (s_[pos_] == ')') throw ImapError("unbalanced ')' in server response");
      out.push_back(value(0));
    }
  }

 private:
  void skip_spaces() {
    while (pos_ < s_.size() && s_[pos_] == ' ') ++pos_;
  }

  ImapValue value(int depth) {
    if (depth > 32) throw ImapError("server response nested too deeply");
    ImapValue v;
    const char c = s_[pos_];
    if (c == '(') {
      ++pos_;
      v.kind = ImapValue::Kind::list;
      for (;;) {
        skip_spaces();
        if (pos_ >= s_.size()) throw ImapError("unterminated list in server response");
        if (s_[pos_] == ')') {
          ++pos_;
          return v;
        }
        v.items.push_back(value(depth + 1));
      }
    }
    if (c == '"') {
      ++pos_;
      v.kind = ImapValue::Kind::string;
      while (pos_ < s_.size() && s_[pos_] != '"') {
        if (s_[pos_] == '\\' && pos_ + 1 < s_.size()) ++pos_;
        v.text += s_[pos_++];
      }
      if (pos_ >= s_.size()) throw ImapError("unterminated string in server response");
      ++pos_;
      return v;
    }
    if (c == '{') {
      const size_t close = s_.find('}', pos_);
      if (close == std::string_view::npos) throw ImapError("malformed literal in server response");
      if (next_literal_ >= literals_.size()) throw ImapError("missing literal data in server response");
      pos_ = close + 1;
      v.kind = ImapValue::Kind::string;
      v.text = literals_[next_literal_++];
      return v;
    }
    // An atom; brackets belong to it ("BODY[]", "[UIDVALIDITY"), spaces
    // inside brackets too ("BODY[HEADER.FIELDS (DATE)]").
    int brackets = 0;
    const size_t start = pos_;
    while (pos_ < s_.size()) {
      const char a = s_[pos_];
      if (a == '[') ++brackets;
      else if (a == ']' && brackets > 0) --brackets;
      else if (brackets == 0 && (a == ' ' || a == '(' || a == ')')) break;
      ++pos_;
    }
    v.text = std::string(s_.substr(start, pos_ - start));
    if (v.text.empty()) throw ImapError("unexpected character in server response");
    return v;
  }

  std::string_view s_;
  const std::vector<std::string>& literals_;
  size_t pos_ = 0;
  size_t next_literal_ = 0;
};

// The bytes of a UTF-16 string for the modified base64 of modified UTF-7.
void append_utf16(uint32_t cp, std::string& out) {
  const auto unit = [&](uint32_t u) {
    out += static_cast<char>((u >> 8) & 0xFF);
    out += static_cast<char>(u & 0xFF);
  };
  if (cp >= 0x10000) {
    cp -= 0x10000;
    unit(0xD800 + (cp >> 10));
    unit(0xDC00 + (cp & 0x3FF));
  } else {
    unit(cp);
  }
}

std::string modified_base64(const std::string& bytes) {
  static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (const char c : bytes) {
    acc = (acc << 8) | static_cast<unsigned char>(c);
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += alphabet[(acc >> bits) & 63];
    }
  }
  if (bits > 0) out += alphabet[(acc << (6 - bits)) & 63];
  return out;
}

}  // namespace

void ImapReader::feed(std::string_view bytes) {
  if (pos_ > 0 && pos_ == buffer_.size()) {
    buffer_.clear();
    pos_ = 0;
  } else if (pos_ > (1u << 20)) {
    buffer_.erase(0, pos_);
    pos_ = 0;
  }
  buffer_.append(bytes);
}

std::optional<ImapResponse> ImapReader::next() {
  for (;;) {
    if (literal_left_ > 0) {
      const size_t n = std::min(literal_left_, buffer_.size() - pos_);
      literals_.back().append(buffer_, pos_, n);
      pos_ += n;
      literal_left_ -= n;
      if (literal_left_ > 0) return std::nullopt;
    }
    const size_t nl = buffer_.find('\n', pos_);
    if (nl == std::string::npos) {
      if (buffer_.size() - pos_ + text_.size() > max_line_) throw ImapError("server response line too long");
      return std::nullopt;
    }
    std::string_view line(buffer_.data() + pos_, nl - pos_);
    pos_ = nl + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (text_.size() + line.size() > max_line_) throw ImapError("server response line too long");
    text_ += line;
    if (const auto n = literal_size(line)) {
      if (*n > max_literal_) throw ImapError("server sent " + std::to_string(*n) + " bytes at once, more than allowed");
      literals_.emplace_back();
      literals_.back().reserve(*n);
      literal_left_ = *n;
      continue;
    }
    ImapResponse r;
    const size_t space = text_.find(' ');
    r.tag = text_.substr(0, space);
    r.text = space == std::string::npos ? std::string() : text_.substr(space + 1);
    r.literals = std::move(literals_);
    text_.clear();
    literals_.clear();
    return r;
  }
}

std::vector<ImapValue> parse_values(std::string_view text, const std::vector<std::string>& literals) {
  return ValueParser(text, literals).all();
}

std::string response_status(const ImapResponse& r) { return upper(r.text.substr(0, r.text.find(' '))); }

std::optional<uint32_t> find_uidvalidity(const std::vector<ImapResponse>& untagged) {
  for (const ImapResponse& r : untagged) {
    const std::string t = upper(r.text);
    const size_t at = t.find("[UIDVALIDITY ");
    if (r.tag != "*" || t.rfind("OK", 0) != 0 || at == std::string::npos) continue;
    const size_t start = at + 13;
    const size_t end = t.find(']', start);
    uint64_t v = 0;
    if (end != std::string::npos && parse_number(std::string_view(t).substr(start, end - start), v) && v <= 0xFFFFFFFFu)
      return static_cast<uint32_t>(v);
  }
  return std::nullopt;
}

std::set<std::string> find_capabilities(const std::vector<ImapResponse>& untagged) {
  std::set<std::string> caps;
  for (const ImapResponse& r : untagged) {
    const std::string t = upper(r.text);
    if (r.tag != "*" || t.rfind("CAPABILITY ", 0) != 0) continue;
    size_t pos = 11;
    while (pos < t.size()) {
      const size_t end = std::min(t.find(' ', pos), t.size());
      if (end > pos) caps.insert(t.substr(pos, end - pos));
      pos = end + 1;
    }
  }
  return caps;
}

std::vector<uint32_t> find_search_uids(const std::vector<ImapResponse>& untagged) {
  std::vector<uint32_t> uids;
  for (const ImapResponse& r : untagged) {
    if (r.tag != "*" || upper(r.text.substr(0, 6)) != "SEARCH") continue;
    size_t pos = 6;
    while (pos < r.text.size()) {
      const size_t end = std::min(r.text.find(' ', pos), r.text.size());
      uint64_t v = 0;
      if (end > pos && parse_number(std::string_view(r.text).substr(pos, end - pos), v) && v > 0 && v <= 0xFFFFFFFFu)
        uids.push_back(static_cast<uint32_t>(v));
      pos = end + 1;
    }
  }
  std::sort(uids.begin(), uids.end());
  uids.erase(std::unique(uids.begin(), uids.end()), uids.end());
  return uids;
}

std::vector<FetchData> find_fetches(const std::vector<ImapResponse>& untagged) {
  std::vector<FetchData> out;
  for (const ImapResponse& r : untagged) {
    if (r.tag != "*") continue;
    std::vector<ImapValue> values;
    try {
      values = parse_values(r.text, r.literals);
    } catch (const ImapError&) {
      continue;
    }
    if (values.size() != 3 || upper(values[1].text) != "FETCH" || values[2].kind != ImapValue::Kind::list) continue;
    FetchData f;
    const auto& items = values[2].items;
    for (size_t i = 0; i + 1 < items.size(); i += 2) {
      const std::string name = upper(items[i].text);
      const ImapValue& v = items[i + 1];
      uint64_t n = 0;
      if (name == "UID" && parse_number(v.text, n) && n <= 0xFFFFFFFFu) f.uid = static_cast<uint32_t>(n);
      else if (name == "RFC822.SIZE" && parse_number(v.text, n)) f.size = n;
      else if (name == "BODY[]" && v.kind == ImapValue::Kind::string) f.body = v.text;
      else if (name == "FLAGS" && v.kind == ImapValue::Kind::list)
        for (const ImapValue& flag : v.items) f.flags.push_back(flag.text);
    }
    if (f.uid != 0) out.push_back(std::move(f));
  }
  return out;
}

std::string modified_utf7(std::string_view utf8) {
  std::string out;
  std::string pending;  // UTF-16BE bytes of the current non-ASCII run
  const auto flush = [&] {
    if (pending.empty()) return;
    out += '&' + modified_base64(pending) + '-';
    pending.clear();
  };
  for (size_t i = 0; i < utf8.size();) {
    const unsigned char c = static_cast<unsigned char>(utf8[i]);
    if (c >= 0x20 && c <= 0x7E) {
      flush();
      out += c == '&' ? std::string("&-") : std::string(1, static_cast<char>(c));
      ++i;
      continue;
    }
    uint32_t cp = c < 0x80 ? c : 0xFFFD;  // controls go encoded, too
    size_t n = 1;
    if (c >= 0xC0 && c < 0xE0 && i + 1 < utf8.size()) {
      cp = ((c & 0x1Fu) << 6) | (utf8[i + 1] & 0x3F);
      n = 2;
    } else if (c >= 0xE0 && c < 0xF0 && i + 2 < utf8.size()) {
      cp = ((c & 0x0Fu) << 12) | ((utf8[i + 1] & 0x3F) << 6) | (utf8[i + 2] & 0x3F);
      n = 3;
    } else if (c >= 0xF0 && c < 0xF8 && i + 3 < utf8.size()) {
      cp = ((c & 0x07u) << 18) | ((utf8[i + 1] & 0x3F) << 12) | ((utf8[i + 2] & 0x3F) << 6) | (utf8[i + 3] & 0x3F);
      n = 4;
    }
    append_utf16(cp, pending);
    i += n;
  }
  flush();
  return out;
}

std::string quote_mailbox(std::string_view utf8) {
  if (utf8.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos)
    throw ImapError("a mailbox name cannot contain CR, LF or NUL");
  std::string out = "\"";
  for (const char c : modified_utf7(utf8)) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + '"';
}

std::string uid_set(const std::vector<uint32_t>& uids) {
  std::string out;
  for (const uint32_t u : uids) {
    if (!out.empty()) out += ',';
    out += std::to_string(u);
  }
  return out;
}

}  // namespace ferry::email
