// The "value" of a set rule: text with ${meta:KEY} and ${path:PATH}
// placeholders, parsed once at create.
#pragma once

#include <ferry/hl7/message.hpp>
#include <ferry/plugin.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace ferry::hl7plugin {

class ValueTemplate {
 public:
  // Throws std::invalid_argument for an unknown placeholder, a ${ without
  // its }, an empty key, or a bad path.
  static ValueTemplate parse(std::string_view text);

  // The text with every placeholder filled in: ${meta:KEY} from the ferry
  // message's metadata, ${path:PATH} from the HL7 message as it is now
  // (both empty when absent).
  std::string expand(const hl7::Message& hl7, const ferry::Message& message) const;

 private:
  struct Part {
    enum Kind { text, meta, path } kind;
    std::string value;  // the literal text, the metadata key, or the path
  };
  std::vector<Part> parts_;
};

}  // namespace ferry::hl7plugin
