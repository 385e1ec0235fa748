#include "copy_value.hpp"

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "raw_value.hpp"

namespace ferry::hl7plugin {

namespace {

// 1: a field repetition, 2: a component, 3: a subcomponent.
int level(const hl7::Path& p) { return p.subcomponent != 0 ? 3 : p.component != 0 ? 2 : 1; }

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t at; (at = s.find(sep, start)) != std::string::npos; start = at + 1) out.push_back(s.substr(start, at - start));
  out.push_back(s.substr(start));
  return out;
}

// The non-empty leaves of a composite value as (path suffix, decoded value):
// ".2" / ".2.1" below a field, ".1" below a component.
std::vector<std::pair<std::string, std::string>> leaves(const hl7::Message& m, const RulePath& from,
                                                         const std::string& raw) {
  const hl7::Delimiters& d = m.delimiters();
  std::vector<std::pair<std::string, std::string>> out;
  const auto add = [&](const std::string& suffix) {
    const auto v = m.get(from.text + suffix);
    if (v && !v->empty()) out.emplace_back(suffix, *v);
  };
  if (level(from.path) == 2) {
    const auto subs = split(raw, d.subcomponent);
    for (size_t s = 1; s <= subs.size(); ++s) add("." + std::to_string(s));
    return out;
  }
  const auto comps = split(raw, d.component);
  for (size_t c = 1; c <= comps.size(); ++c) {
    const std::string comp = "." + std::to_string(c);
    if (comps[c - 1].find(d.subcomponent) == std::string::npos) {
      add(comp);
      continue;
    }
    const size_t subs = split(comps[c - 1], d.subcomponent).size();
    for (size_t s = 1; s <= subs; ++s) add(comp + "." + std::to_string(s));
  }
  return out;
}

}  // namespace

void copy_value(hl7::Message& m, const RulePath& from, const RulePath& to) {
  const auto raw = raw_value(m, from.path);
  if (!raw || raw->text.empty()) {
    m.clear(to.text);
    return;
  }
  if (!raw->composite) {
    m.set(to.text, m.get(from.text).value_or(""));
    return;
  }
  if (level(to.path) != level(from.path)) {
    throw std::invalid_argument(from.text + " has " + (level(from.path) == 1 ? "components" : "subcomponents") +
                                ", which fit only a path of the same level as " + from.text + " (" +
                                (level(from.path) == 1 ? "a field, e.g. PID-5" : "a component, e.g. PID-5.1") + ")");
  }
  // Read everything first: `to` may overlap `from`.
  const auto parts = leaves(m, from, raw->text);
  m.clear(to.text);
  for (const auto& [suffix, value] : parts) m.set(to.text + suffix, value);
}

}  // namespace ferry::hl7plugin
