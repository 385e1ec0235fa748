// The copy rule: one value, with its components, from one path to another.
#pragma once

#include <ferry/hl7/message.hpp>

#include "rule_path.hpp"

namespace ferry::hl7plugin {

// Makes `to` hold what `from` holds. A plain value is copied decoded and
// re-encoded; a value with components (or subcomponents) is copied part by
// part, which needs `to` at the same level as `from` (field to field,
// component to component). An absent or empty `from` clears `to`. Throws
// std::invalid_argument (from the library, or for mismatched levels).
void copy_value(hl7::Message& m, const RulePath& from, const RulePath& to);

}  // namespace ferry::hl7plugin
