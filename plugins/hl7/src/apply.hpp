// Running hl7.transform's rules on one message.
#pragma once

#include <ferry/hl7/message.hpp>
#include <ferry/plugin.hpp>

#include <vector>

#include "rule.hpp"

namespace ferry::hl7plugin {

// Applies `rules` in order to `hl7`; meta rules write to `message`'s
// metadata at once. Returns whether the HL7 message was changed. Throws
// ferry::Filtered (a filter rule) or ferry::Error (any other failure),
// with the rule's label in front of the reason.
bool apply_rules(const std::vector<Rule>& rules, hl7::Message& hl7, ferry::Message& message);

}  // namespace ferry::hl7plugin
