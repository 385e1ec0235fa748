// hl7.from_json: the library's JSON form (docs/hl7-json.md) to HL7 v2 content.
#pragma once

#include <ferry/plugin.hpp>

namespace ferry::hl7plugin {

class FromJson : public ferry::Transformer {
 public:
  static constexpr const char* type = "hl7.from_json";
  static constexpr const char* version = "1.0.0";
  static constexpr const char* description =
      "Converts the JSON form of an HL7 v2 message (as hl7.to_json writes it) to HL7 v2 content";
  static constexpr uint32_t flags = FERRY_COMPONENT_CONCURRENT;

  FromJson(ferry::Instance self, const ferry::Config& c);
  void transform(ferry::Message& m) override;
};

}  // namespace ferry::hl7plugin
