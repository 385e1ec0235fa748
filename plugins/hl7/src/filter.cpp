#include "filter.hpp"

#include <ferry/plugin.hpp>

#include <algorithm>

#include "quote.hpp"

namespace ferry::hl7plugin {

std::optional<std::string> filter_failure(const FilterRule& rule, const hl7::Message& m) {
  const std::optional<std::string> value = m.get(rule.path.text);
  const std::string& s = value ? *value : std::string();
  const std::string v = shown(value);
  bool match = false;
  std::string fails, fails_negated;  // the reason when it does not match / when it does, with "not"
  switch (rule.test) {
    case FilterRule::Test::equals:
      match = s == rule.equals;
      fails = v + " is not " + quote_text(rule.equals);
      fails_negated = v + " must not be " + quote_text(rule.equals);
      break;
    case FilterRule::Test::in:
      match = std::find(rule.in.begin(), rule.in.end(), s) != rule.in.end();
      fails = v + " is not in " + quote_list(rule.in);
      fails_negated = v + " must not be in " + quote_list(rule.in);
      break;
    case FilterRule::Test::regex:
      if (s.size() > kMaxRegexInput) {
        throw ferry::Error("the value is " + std::to_string(s.size()) + " bytes, more than the " +
                           std::to_string(kMaxRegexInput) + " a regex is run on");
      }
      match = std::regex_search(s, rule.regex);
      fails = v + " does not match the regex " + quote_text(rule.pattern);
      fails_negated = v + " must not match the regex " + quote_text(rule.pattern);
      break;
    case FilterRule::Test::exists: {
      const bool present = !s.empty();
      match = present == rule.exists;
      const std::string has_none = "has no value", has_one = "has a value, " + v + ", and must have none";
      fails = rule.exists ? has_none : has_one;
      fails_negated = rule.exists ? has_one : has_none;
      break;
    }
  }
  if (match == !rule.negate) return std::nullopt;
  return rule.negate ? fails_negated : fails;
}

}  // namespace ferry::hl7plugin
