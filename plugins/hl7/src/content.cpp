#include "content.hpp"

#include <ferry/plugin.hpp>

#include <string>

namespace ferry::hl7plugin {

hl7::Message parse_hl7(std::string_view content) {
  try {
    return hl7::Message::parse(content);
  } catch (const hl7::ParseError& e) {
    throw ferry::Error(std::string("not an HL7 v2 message: ") + e.what());
  }
}

}  // namespace ferry::hl7plugin
