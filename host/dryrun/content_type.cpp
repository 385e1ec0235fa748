#include "dryrun/content_type.hpp"

#include <nlohmann/json.hpp>

namespace ferry::dryrun {

namespace {
bool starts_segment(std::string_view s, std::string_view name) {
  // The fourth byte is the field separator, which HL7 lets the sender pick.
  return s.size() > name.size() && s.substr(0, name.size()) == name;
}
}  // namespace

std::string guess_content_type(std::string_view content) {
  std::string_view s = content;
  if (s.substr(0, 3) == "\xEF\xBB\xBF") s.remove_prefix(3);  // UTF-8 byte-order mark
  if (starts_segment(s, "MSH") || starts_segment(s, "FHS") || starts_segment(s, "BHS")) return "application/hl7-v2";
  // A bare number or string parses as JSON too, but is far more likely text.
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && (s[first] == '{' || s[first] == '[') &&
      nlohmann::json::accept(s.begin(), s.end()))
    return "application/json";
  return "text/plain";
}

}  // namespace ferry::dryrun
