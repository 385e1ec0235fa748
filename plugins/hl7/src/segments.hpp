// The delete rule on a whole segment.
#pragma once

#include <ferry/hl7/message.hpp>

#include <cstddef>

#include "rule_path.hpp"

namespace ferry::hl7plugin {

// Removes every segment named p ("NK1"), or the one occurrence it names
// ("OBX[2]"). Never the MSH (the config check refuses it). Returns how many
// segments were removed.
size_t remove_segments(hl7::Message& m, const RulePath& p);

}  // namespace ferry::hl7plugin
