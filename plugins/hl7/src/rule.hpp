// The rules of hl7.transform, as checked and compiled at create.
#pragma once

#include <map>
#include <regex>
#include <string>
#include <variant>
#include <vector>

#include "rule_path.hpp"
#include "value_template.hpp"

namespace ferry::hl7plugin {

struct FilterRule {
  enum class Test { equals, in, regex, exists };
  RulePath path;
  Test test = Test::equals;
  std::string equals;           // equals
  std::vector<std::string> in;  // in
  std::string pattern;          // regex, as written
  std::regex regex;             // regex, compiled
  bool exists = true;           // exists
  bool negate = false;          // "not": true
};

struct SetRule {
  RulePath path;
  ValueTemplate value;
};

struct CopyRule {
  RulePath from, to;
};

struct DeleteRule {
  RulePath path;
};

struct MapRule {
  enum class Default { keep, error, value };
  RulePath path;
  std::map<std::string, std::string, std::less<>> table;
  Default fallback = Default::keep;
  std::string fallback_value;  // Default::value
};

struct MetaRule {
  std::string key;
  RulePath path;
};

struct Rule {
  size_t index = 0;  // position in "rules", from 0
  std::string name;  // optional "name"
  std::variant<FilterRule, SetRule, CopyRule, DeleteRule, MapRule, MetaRule> body;

  // How errors and filter reasons name the rule: rule 2 "adt-only" (filter MSH-9.1)
  std::string label() const;
};

}  // namespace ferry::hl7plugin
