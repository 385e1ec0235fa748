// hl7.to_json: HL7 v2 content to the library's JSON form (docs/hl7-json.md).
#pragma once

#include <ferry/plugin.hpp>

namespace ferry::hl7plugin {

class ToJson : public ferry::Transformer {
 public:
  static constexpr const char* type = "hl7.to_json";
  static constexpr const char* version = "1.0.0";
  static constexpr const char* description = "Converts HL7 v2 content to its JSON form (application/json)";
  static constexpr uint32_t flags = FERRY_COMPONENT_CONCURRENT;
  static constexpr std::array config_keys = {
      ferry::Key::boolean("pretty").describe("Indent the JSON (two spaces) instead of one line").fallback("false"),
  };

  ToJson(ferry::Instance self, const ferry::Config& c);
  void transform(ferry::Message& m) override;

 private:
  const bool pretty_;
};

}  // namespace ferry::hl7plugin
