// Reading hl7.transform's "rules" key: every check happens here, at create.
#pragma once

#include <string_view>
#include <vector>

#include "rule.hpp"

namespace ferry::hl7plugin {

// `json_text` is the value of "rules". Throws ferry::Error listing every
// problem found, each naming its rule: rules[3] (map): "table" must be an
// object of strings.
std::vector<Rule> parse_rules(std::string_view json_text);

}  // namespace ferry::hl7plugin
