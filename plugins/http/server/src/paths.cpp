#include <ferry/http/server/paths.hpp>

#include <stdexcept>

namespace ferry::http::server {

PathSet::PathSet(const std::vector<std::string>& patterns) : patterns_(patterns) {
  if (patterns_.empty()) throw std::invalid_argument("no path given");
  for (const auto& p : patterns_) {
    if (p.empty() || p.front() != '/') throw std::invalid_argument("path \"" + p + "\" must start with /");
    const size_t star = p.find('*');
    if (star != std::string::npos && (star != p.size() - 1 || p[star - 1] != '/'))
      throw std::invalid_argument("path \"" + p + "\": '*' is allowed only as the last segment (\"/prefix/*\")");
    for (unsigned char c : p)
      if (c <= 0x20 || c == 0x7F || c == '?' || c == '#')
        throw std::invalid_argument("path \"" + p + "\" contains a space, control character, '?' or '#'");
  }
}

bool PathSet::matches(std::string_view path) const {
  for (const auto& p : patterns_) {
    if (p.back() == '*') {
      const std::string_view prefix(p.data(), p.size() - 1);  // keeps the '/'
      if (path.size() > prefix.size() && path.substr(0, prefix.size()) == prefix) return true;
      if (prefix == "/" && path == "/") return true;  // "/*" is everything
    } else if (path == p) {
      return true;
    }
  }
  return false;
}

Target split_target(std::string_view target) {
  if (target.starts_with("http://") || target.starts_with("https://")) {
    const size_t authority = target.find("//") + 2;
    const size_t slash = target.find_first_of("/?#", authority);
    target = slash == std::string_view::npos ? std::string_view("/") : target.substr(slash);
    if (!target.empty() && target.front() != '/') return split_target("/" + std::string(target));
  }
  target = target.substr(0, target.find('#'));
  Target t;
  const size_t q = target.find('?');
  t.path = std::string(target.substr(0, q));
  if (q != std::string_view::npos) t.query = std::string(target.substr(q + 1));
  return t;
}

bool valid_method(std::string_view method) {
  if (method.empty()) return false;
  for (char c : method)
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) return false;
  return true;
}

}  // namespace ferry::http::server
