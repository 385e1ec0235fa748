// The filter rule's test.
#pragma once

#include <ferry/hl7/message.hpp>

#include <optional>
#include <string>

#include "rule.hpp"

namespace ferry::hl7plugin {

// nullopt when the message passes `rule`; otherwise why it does not (the
// value and the test, e.g. "ORM" is not in ["ADT", "ORU"]). An absent value
// compares as "" and shows as (absent). Throws ferry::Error when a regex
// would run on a value longer than kMaxRegexInput bytes.
std::optional<std::string> filter_failure(const FilterRule& rule, const hl7::Message& m);

// libstdc++'s std::regex recurses once or more per input character: with an
// 8 MiB thread stack, "^(a|b)*$" crashes the process at about 12000
// characters. Longer values fail the message instead of the engine.
constexpr size_t kMaxRegexInput = 4096;

}  // namespace ferry::hl7plugin
