#include "apply.hpp"

#include <exception>
#include <string>

#include "copy_value.hpp"
#include "filter.hpp"
#include "quote.hpp"
#include "segments.hpp"

namespace ferry::hl7plugin {

namespace {

// Writing "" clears the value, so an empty result never creates a segment.
void put(hl7::Message& m, const RulePath& p, const std::string& value) {
  if (value.empty()) m.clear(p.text);
  else m.set(p.text, value);
}

// One rule; returns whether it changed the HL7 message. Reasons thrown
// here do not name the rule yet.
struct Step {
  hl7::Message& hl7;
  ferry::Message& message;

  bool operator()(const FilterRule& r) const {
    if (auto reason = filter_failure(r, hl7)) throw ferry::Filtered(*reason);
    return false;
  }
  bool operator()(const SetRule& r) const {
    put(hl7, r.path, r.value.expand(hl7, message));
    return true;
  }
  bool operator()(const CopyRule& r) const {
    copy_value(hl7, r.from, r.to);
    return true;
  }
  bool operator()(const DeleteRule& r) const {
    if (r.path.whole_segment()) return remove_segments(hl7, r.path) > 0;
    if (hl7.get(r.path.text).value_or("").empty()) return false;
    hl7.clear(r.path.text);
    return true;
  }
  bool operator()(const MapRule& r) const {
    const std::optional<std::string> value = hl7.get(r.path.text);
    const auto hit = r.table.find(value.value_or(""));
    if (hit != r.table.end()) {
      if (value && *value == hit->second) return false;
      put(hl7, r.path, hit->second);
      return true;
    }
    switch (r.fallback) {
      case MapRule::Default::keep:
        return false;
      case MapRule::Default::error:
        throw ferry::Error("no mapping for " + shown(value));
      case MapRule::Default::value:
        put(hl7, r.path, r.fallback_value);
        return true;
    }
    return false;
  }
  bool operator()(const MetaRule& r) const {
    message.set_meta(r.key, hl7.get(r.path.text).value_or(""));
    return false;
  }
};

}  // namespace

bool apply_rules(const std::vector<Rule>& rules, hl7::Message& hl7, ferry::Message& message) {
  bool changed = false;
  const Step step{hl7, message};
  for (const Rule& rule : rules) {
    try {
      changed = std::visit(step, rule.body) || changed;
    } catch (const ferry::Filtered& e) {
      throw ferry::Filtered(rule.label() + ": " + e.what());
    } catch (const std::exception& e) {
      throw ferry::Error(rule.label() + ": " + e.what());
    }
  }
  return changed;
}

}  // namespace ferry::hl7plugin
