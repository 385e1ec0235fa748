#include <ferry/template/template.hpp>

#include <cstdio>

namespace ferry::tmpl {

namespace {

bool unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

}  // namespace

std::string escape(std::string_view value, Escape how) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(value.size());
  switch (how) {
    case Escape::none: out.assign(value); break;
    case Escape::url_component:
      for (unsigned char c : value) {
        if (unreserved(c)) {
          out += static_cast<char>(c);
        } else {
          out += '%';
          out += hex[c >> 4];
          out += hex[c & 0x0fu];
        }
      }
      break;
    case Escape::header:
      for (char c : value) out += (c == '\r' || c == '\n' || c == '\0') ? ' ' : c;
      break;
    case Escape::json_string:
      for (unsigned char c : value) {
        switch (c) {
          case '"': out += "\\\""; break;
          case '\\': out += "\\\\"; break;
          case '\n': out += "\\n"; break;
          case '\r': out += "\\r"; break;
          case '\t': out += "\\t"; break;
          default:
            if (c < 0x20) {
              char buf[8];
              std::snprintf(buf, sizeof buf, "\\u%04x", c);
              out += buf;
            } else {
              out += static_cast<char>(c);
            }
        }
      }
      break;
  }
  return out;
}

}  // namespace ferry::tmpl
