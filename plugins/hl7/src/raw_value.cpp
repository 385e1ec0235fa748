#include "raw_value.hpp"

#include <string_view>
#include <vector>

namespace ferry::hl7plugin {

namespace {

// The i-th (from 1) piece of s between seps, nullopt past the end.
std::optional<std::string_view> piece(std::string_view s, char sep, size_t i) {
  size_t start = 0;
  for (size_t n = 1;; ++n) {
    const size_t at = s.find(sep, start);
    if (n == i) return s.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start);
    if (at == std::string_view::npos) return std::nullopt;
    start = at + 1;
  }
}

std::optional<size_t> segment_index(const hl7::Message& m, const hl7::Path& p) {
  size_t seen = 0;
  for (size_t i = 0; i < m.segment_count(); ++i) {
    if (m.segment_name(i) == p.segment && ++seen == p.occurrence) return i;
  }
  return std::nullopt;
}

}  // namespace

std::optional<RawValue> raw_value(const hl7::Message& m, const hl7::Path& p) {
  if (p.field == 0) return std::nullopt;
  const auto index = segment_index(m, p);
  if (!index) return std::nullopt;
  const hl7::Delimiters& d = m.delimiters();
  const std::string text = m.segment_text(*index);
  if (text.size() <= 3) return std::nullopt;
  const bool header = *index == 0;
  if (header && p.field <= 2) {  // the delimiters themselves: plain values
    const auto v = m.get(p.segment + "-" + std::to_string(p.field));
    if (!v || p.repetition > 1 || p.component > 1 || p.subcomponent > 1) return std::nullopt;
    return RawValue{*v, false};
  }
  // In the MSH, text after "MSH|" starts at MSH-2; elsewhere after "XYZ|" at XYZ-1.
  const auto field = piece(std::string_view(text).substr(4), d.field, header ? p.field - 1 : p.field);
  if (!field) return std::nullopt;
  const auto rep = piece(*field, d.repetition, p.repetition);
  if (!rep) return std::nullopt;
  if (p.component == 0) {
    return RawValue{std::string(*rep), rep->find_first_of(std::string{d.component, d.subcomponent}) != std::string_view::npos};
  }
  const auto comp = piece(*rep, d.component, p.component);
  if (!comp) return std::nullopt;
  if (p.subcomponent == 0) return RawValue{std::string(*comp), comp->find(d.subcomponent) != std::string_view::npos};
  const auto sub = piece(*comp, d.subcomponent, p.subcomponent);
  if (!sub) return std::nullopt;
  return RawValue{std::string(*sub), false};
}

}  // namespace ferry::hl7plugin
