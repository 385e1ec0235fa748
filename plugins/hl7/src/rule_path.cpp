#include "rule_path.hpp"

namespace ferry::hl7plugin {

RulePath RulePath::parse(std::string_view text) {
  RulePath p;
  p.path = hl7::Path::parse(text);
  p.text = std::string(text);
  p.every_occurrence = p.path.field == 0 && text.find('[') == std::string_view::npos;
  return p;
}

std::optional<std::string> write_problem(const RulePath& p, bool segment_ok) {
  const std::string& seg = p.path.segment;
  if (seg == "BHS" || seg == "BTS" || seg == "FHS" || seg == "FTS") {
    return seg + " is a batch segment: a single message never holds one";
  }
  if (seg == "MSH" && p.path.occurrence > 1) return "a message has exactly one MSH";
  if (p.whole_segment()) {
    if (!segment_ok) return "names a whole segment; give a field, e.g. " + seg + "-3";
    if (seg == "MSH") return "the MSH segment cannot be removed";
    return std::nullopt;
  }
  if (seg == "MSH" && p.path.field <= 2) return "MSH-1 and MSH-2 hold the message's delimiters and cannot be changed";
  // The library's limits (the plugin parses with the defaults): a write
  // beyond them would fail every message.
  const hl7::Limits limits;
  const auto over = [](size_t value, size_t limit, const char* what) -> std::optional<std::string> {
    if (value <= limit) return std::nullopt;
    return std::string(what) + " " + std::to_string(value) + " is over the limit of " + std::to_string(limit);
  };
  if (auto o = over(p.path.occurrence, limits.max_segments, "segment occurrence")) return o;
  if (auto o = over(p.path.field, limits.max_fields_per_segment, "field")) return o;
  if (auto o = over(p.path.repetition, limits.max_repetitions, "repetition")) return o;
  if (auto o = over(p.path.component, limits.max_components, "component")) return o;
  if (auto o = over(p.path.subcomponent, limits.max_components, "subcomponent")) return o;
  return std::nullopt;
}

}  // namespace ferry::hl7plugin
