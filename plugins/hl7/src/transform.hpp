// hl7.transform: an ordered list of rules (filter, set, copy, delete, map,
// meta) applied to each HL7 v2 message.
#pragma once

#include <ferry/plugin.hpp>

#include <vector>

#include "rule.hpp"

namespace ferry::hl7plugin {

class Transform : public ferry::Transformer {
 public:
  static constexpr const char* type = "hl7.transform";
  static constexpr const char* version = "1.0.0";
  static constexpr const char* description =
      "Filters and changes HL7 v2 messages with an ordered list of rules (filter, set, copy, delete, map, meta)";
  static constexpr uint32_t flags = FERRY_COMPONENT_CONCURRENT;  // the rules are read-only after create
  static constexpr std::array config_keys = {
      ferry::Key::json("rules")
          .describe("Ordered list of rules, each an object with one of filter, set, copy, delete, map, meta "
                    "(and an optional name); see docs/plugins/hl7.md")
          .required(),
  };

  Transform(ferry::Instance self, const ferry::Config& c);
  void transform(ferry::Message& m) override;

 private:
  const std::vector<Rule> rules_;
};

}  // namespace ferry::hl7plugin
