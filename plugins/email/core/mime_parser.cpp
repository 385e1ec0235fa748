#include "mime_parser.hpp"

#include <algorithm>
#include <cctype>

#include "charset.hpp"
#include "encoding.hpp"
#include "header.hpp"

namespace ferry::email {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y)); });
}

// Where the header section ends (the empty line) and the body begins.
void split_entity(std::string_view raw, std::string_view& head, std::string_view& body) {
  if (raw.substr(0, 2) == "\r\n") {
    head = {};
    body = raw.substr(2);
    return;
  }
  if (raw.substr(0, 1) == "\n") {
    head = {};
    body = raw.substr(1);
    return;
  }
  size_t best = std::string_view::npos, skip = 0;
  if (const size_t a = raw.find("\r\n\r\n"); a != std::string_view::npos) {
    best = a;
    skip = 4;
  }
  if (const size_t b = raw.find("\n\n"); b != std::string_view::npos && b < best) {
    best = b;
    skip = 2;
  }
  if (best == std::string_view::npos) {
    head = raw;
    body = {};
    return;
  }
  head = raw.substr(0, best);
  body = raw.substr(best + skip);
}

HeaderList parse_headers(std::string_view head) {
  HeaderList list;
  size_t pos = 0;
  while (pos < head.size()) {
    size_t end = head.find('\n', pos);
    if (end == std::string_view::npos) end = head.size();
    std::string_view line = head.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    pos = end + 1;
    if (!line.empty() && (line.front() == ' ' || line.front() == '\t')) {
      if (!list.fields.empty()) {
        list.fields.back().value += ' ';
        list.fields.back().value += trim(line);
      }
      continue;
    }
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) continue;  // not a field: skipped
    list.fields.push_back({std::string(trim(line.substr(0, colon))), std::string(trim(line.substr(colon + 1)))});
  }
  return list;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

std::string percent_decode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

struct RawParam {
  std::string value;
  bool extended = false;  // name*=... (percent-encoded, maybe with charset)
};

// The multipart children of body, split at "--boundary" lines.
std::vector<std::string_view> split_multipart(std::string_view body, std::string_view boundary) {
  std::vector<std::string_view> parts;
  const std::string delimiter = "--" + std::string(boundary);
  size_t part_start = std::string_view::npos;
  size_t pos = 0;
  while (pos <= body.size()) {
    size_t end = body.find('\n', pos);
    const bool last = end == std::string_view::npos;
    if (last) end = body.size();
    std::string_view line = body.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.substr(0, delimiter.size()) == delimiter) {
      const std::string_view rest = trim(line.substr(delimiter.size()));
      const bool closing = rest.substr(0, 2) == "--";
      if (closing || rest.empty()) {
        if (part_start != std::string_view::npos) {
          // The line break before the delimiter belongs to the delimiter.
          size_t part_end = pos;
          if (part_end > part_start && body[part_end - 1] == '\n') --part_end;
          if (part_end > part_start && body[part_end - 1] == '\r') --part_end;
          parts.push_back(body.substr(part_start, part_end - part_start));
        }
        if (closing) return parts;
        part_start = last ? body.size() : end + 1;
      }
    }
    if (last) break;
    pos = end + 1;
  }
  if (part_start != std::string_view::npos && part_start < body.size())
    parts.push_back(body.substr(part_start));  // no closing delimiter: take what is there
  return parts;
}

void parse_entity(std::string_view raw, MimePart& part, const ParseLimits& limits, size_t depth, size_t& count) {
  std::string_view head, body;
  split_entity(raw, head, body);
  part.headers = parse_headers(head);
  const std::string* type = part.headers.get("Content-Type");
  part.type = parse_content_field(type != nullptr ? *type : "text/plain");
  if (part.type.value.find('/') == std::string::npos) part.type.value = "text/plain";
  if (const std::string* d = part.headers.get("Content-Disposition")) part.disposition = parse_content_field(*d);
  const std::string* cte = part.headers.get("Content-Transfer-Encoding");
  part.transfer_encoding = cte != nullptr ? lower(trim(*cte)) : "7bit";
  part.body = body;
  const std::string boundary = part.type.param("boundary");
  if (part.type.value.rfind("multipart/", 0) != 0 || boundary.empty() || depth >= limits.max_depth) return;
  for (const std::string_view child : split_multipart(body, boundary)) {
    if (count >= limits.max_parts) return;
    ++count;
    part.parts.emplace_back();
    parse_entity(child, part.parts.back(), limits, depth + 1, count);
  }
}

void collect_leaves(const MimePart& p, std::vector<const MimePart*>& out) {
  if (p.parts.empty()) {
    if (p.type.value.rfind("multipart/", 0) != 0) out.push_back(&p);
    return;
  }
  for (const MimePart& c : p.parts) collect_leaves(c, out);
}

}  // namespace

const std::string* HeaderList::get(std::string_view name) const {
  for (const HeaderField& f : fields)
    if (iequals(f.name, name)) return &f.value;
  return nullptr;
}

std::string ContentField::param(const std::string& name) const {
  const auto it = params.find(name);
  return it == params.end() ? std::string() : it->second;
}

ContentField parse_content_field(std::string_view raw) {
  ContentField field;
  size_t pos = raw.find(';');
  field.value = lower(trim(raw.substr(0, pos)));
  // name -> (section -> raw value) to join RFC 2231 continuations in order.
  std::map<std::string, std::map<int, RawParam>> sections;
  while (pos != std::string_view::npos && pos < raw.size()) {
    ++pos;  // past ';'
    while (pos < raw.size() && std::isspace(static_cast<unsigned char>(raw[pos]))) ++pos;
    const size_t eq = raw.find('=', pos);
    if (eq == std::string_view::npos) break;
    std::string name = lower(trim(raw.substr(pos, eq - pos)));
    pos = eq + 1;
    while (pos < raw.size() && (raw[pos] == ' ' || raw[pos] == '\t')) ++pos;
    std::string value;
    if (pos < raw.size() && raw[pos] == '"') {
      ++pos;
      while (pos < raw.size() && raw[pos] != '"') {
        if (raw[pos] == '\\' && pos + 1 < raw.size()) ++pos;
        value += raw[pos++];
      }
      if (pos < raw.size()) ++pos;  // closing quote
      pos = raw.find(';', pos);
    } else {
      const size_t end = raw.find(';', pos);
      value = std::string(trim(raw.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos)));
      pos = end;
    }
    bool extended = false;
    if (!name.empty() && name.back() == '*') {
      extended = true;
      name.pop_back();
    }
    int section = 0;
    if (const size_t star = name.find('*'); star != std::string::npos) {
      const std::string digits = name.substr(star + 1);
      if (digits.empty() || digits.size() > 3 || !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) continue;
      section = std::stoi(digits);
      name.resize(star);
    }
    if (name.empty()) continue;
    sections[name].emplace(section, RawParam{std::move(value), extended});
  }
  for (auto& [name, parts] : sections) {
    std::string charset;
    std::string bytes;
    bool any_extended = false;
    for (auto& [index, p] : parts) {
      std::string_view v = p.value;
      if (p.extended) {
        any_extended = true;
        if (index == 0) {  // charset'language'value
          const size_t q1 = v.find('\'');
          const size_t q2 = q1 == std::string_view::npos ? q1 : v.find('\'', q1 + 1);
          if (q2 != std::string_view::npos) {
            charset = std::string(v.substr(0, q1));
            v = v.substr(q2 + 1);
          }
        }
        bytes += percent_decode(v);
      } else {
        bytes += v;
      }
    }
    field.params[name] = any_extended ? to_utf8(bytes, charset) : decode_header_text(bytes);
  }
  return field;
}

MimePart parse_mail(std::string_view raw, const ParseLimits& limits) {
  MimePart root;
  size_t count = 1;
  parse_entity(raw, root, limits, 0, count);
  return root;
}

std::string decoded_body(const MimePart& part) {
  if (part.transfer_encoding == "base64") {
    // Decode what is decodable: stray characters are dropped rather than
    // losing the whole part.
    std::string clean;
    clean.reserve(part.body.size());
    for (const char c : part.body)
      if (std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/' || c == '=') clean += c;
    while (!clean.empty() && clean.size() % 4 == 1) clean.pop_back();
    auto decoded = base64_decode(clean);
    if (!decoded) {
      const size_t eq = clean.find('=');
      if (eq != std::string::npos) clean.resize(eq);
      while (clean.size() % 4 == 1) clean.pop_back();
      decoded = base64_decode(clean);
    }
    return decoded ? *decoded : std::string();
  }
  if (part.transfer_encoding == "quoted-printable") return quoted_printable_decode(part.body);
  return std::string(part.body);
}

std::string decoded_text(const MimePart& part) {
  return to_utf8(decoded_body(part), part.type.param("charset"));
}

std::string file_name(const MimePart& part) {
  std::string name = part.disposition.param("filename");
  if (name.empty()) name = part.type.param("name");
  return name;
}

std::vector<const MimePart*> leaves(const MimePart& root) {
  std::vector<const MimePart*> out;
  collect_leaves(root, out);
  return out;
}

bool is_attachment(const MimePart& part) {
  return part.disposition.value == "attachment" || !file_name(part).empty();
}

const MimePart* text_body(const MimePart& root) {
  const auto all = leaves(root);
  for (const char* wanted : {"text/plain", "text/html"})
    for (const MimePart* p : all)
      if (p->type.value == wanted && !is_attachment(*p)) return p;
  return nullptr;
}

}  // namespace ferry::email
