// The `hl7` plugin: hl7.transform, hl7.to_json and hl7.from_json (transformers).
#include <ferry/plugin.hpp>

#include "from_json.hpp"
#include "to_json.hpp"
#include "transform.hpp"

FERRY_PLUGIN("hl7", "1.0.0", "Filters, changes and converts HL7 v2 messages",
             ferry::component<ferry::hl7plugin::Transform>(), ferry::component<ferry::hl7plugin::ToJson>(),
             ferry::component<ferry::hl7plugin::FromJson>());
