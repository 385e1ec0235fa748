// Which request paths a server answers, and how a request target splits
// into path and query. Pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ferry::http::server {

// Paths as configured: "/exact" matches that path only; "/prefix/*" matches
// every path below "/prefix/" (not "/prefix" itself); "/*" matches all.
// Paths are compared as sent, byte for byte (no percent-decoding, no
// case folding).
class PathSet {
 public:
  PathSet() = default;
  // Throws std::invalid_argument naming the bad pattern.
  explicit PathSet(const std::vector<std::string>& patterns);
  bool matches(std::string_view path) const;
  const std::vector<std::string>& patterns() const { return patterns_; }

 private:
  std::vector<std::string> patterns_;
};

struct Target {
  std::string path;
  std::string query;
};

// origin-form "/p?q" and absolute-form "http://host/p?q" (the path of the
// latter); anything else gives the target as the path, so it matches
// nothing. A fragment ('#', never sent by clients) is dropped.
Target split_target(std::string_view target);

// True for a method name as HTTP spells them: upper-case letters, digits,
// '-' and '_' (e.g. "POST", "M-SEARCH").
bool valid_method(std::string_view method);

}  // namespace ferry::http::server
