#include "address.hpp"

#include <cctype>

#include "header.hpp"

namespace ferry::email {

namespace {

bool is_atext(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 ||
         std::string_view("!#$%&'*+-/=?^_`{|}~").find(c) != std::string_view::npos;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool valid_local_part(std::string_view s) {
  if (s.empty() || s.size() > 64 || s.front() == '.' || s.back() == '.') return false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '.') {
      if (s[i + 1] == '.') return false;
    } else if (!is_atext(s[i])) {
      return false;
    }
  }
  return true;
}

bool valid_domain(std::string_view s) {
  if (s.size() >= 2 && s.front() == '[' && s.back() == ']') {
    for (const char c : s.substr(1, s.size() - 2))
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == ':')) return false;
    return s.size() > 2;
  }
  if (s.empty() || s.size() > 253) return false;
  size_t label = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == '.') {
      if (label == 0 || label > 63 || s[i - 1] == '-' || s[i - label] == '-') return false;
      label = 0;
    } else if (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '-') {
      ++label;
    } else {
      return false;
    }
  }
  return true;
}

// The display name as written: a quoted string loses its quotes and
// backslash escapes, anything else is taken as it is.
std::string unquote_name(std::string_view s) {
  s = trim(s);
  if (s.size() < 2 || s.front() != '"' || s.back() != '"') return std::string(s);
  std::string out;
  for (size_t i = 1; i + 1 < s.size(); ++i) {
    if (s[i] == '\\' && i + 2 < s.size()) ++i;
    out += s[i];
  }
  return out;
}

Address parse_one(std::string_view item) {
  const std::string shown(item.substr(0, 200));
  const size_t open = item.rfind('<');
  if (open == std::string_view::npos) {
    if (!valid_address(item)) throw AddressError("not a valid mail address: '" + shown + "'");
    return {"", std::string(item)};
  }
  const size_t close = item.find('>', open);
  if (close == std::string_view::npos || !trim(item.substr(close + 1)).empty())
    throw AddressError("not a valid mail address: '" + shown + "' (expected Name <local@domain>)");
  const std::string_view address = trim(item.substr(open + 1, close - open - 1));
  if (!valid_address(address)) throw AddressError("not a valid mail address: '" + std::string(address.substr(0, 200)) + "'");
  return {unquote_name(item.substr(0, open)), std::string(address)};
}

}  // namespace

bool valid_address(std::string_view address) {
  if (address.size() > 254) return false;
  const size_t at = address.rfind('@');
  if (at == std::string_view::npos) return false;
  return valid_local_part(address.substr(0, at)) && valid_domain(address.substr(at + 1));
}

std::vector<Address> parse_address_list(std::string_view text) {
  std::vector<Address> out;
  size_t start = 0;
  bool quoted = false, angle = false;
  for (size_t i = 0; i <= text.size(); ++i) {
    const char c = i < text.size() ? text[i] : ',';
    if (quoted) {
      if (c == '\\') ++i;
      else if (c == '"') quoted = false;
      continue;
    }
    if (c == '"') quoted = true;
    else if (c == '<') angle = true;
    else if (c == '>') angle = false;
    else if (((c == ',' || c == ';') && !angle) || i == text.size()) {  // the last item is always checked
      const std::string_view item = trim(text.substr(start, std::min(i, text.size()) - start));
      if (!item.empty()) out.push_back(parse_one(item));
      start = i + 1;
    }
  }
  if (quoted) throw AddressError("unterminated quote in address list '" + std::string(text.substr(0, 200)) + "'");
  return out;
}

std::string format_address(const Address& a) {
  if (a.name.empty()) return a.address;
  return encode_phrase(a.name) + " <" + a.address + ">";
}

std::string address_header(std::string_view name, const std::vector<Address>& list) {
  std::string out(name);
  out += ':';
  size_t column = out.size();
  for (size_t i = 0; i < list.size(); ++i) {
    const std::string item = format_address(list[i]) + (i + 1 < list.size() ? "," : "");
    if (i > 0 && column + 1 + item.size() > 78) {
      out += "\r\n";
      column = 0;
    }
    out += ' ';
    out += item;
    column += 1 + item.size();
  }
  return out + "\r\n";
}

}  // namespace ferry::email
