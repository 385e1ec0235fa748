// Message content in and out of the HL7 library, shared by the components.
#pragma once

#include <ferry/hl7/message.hpp>

#include <string_view>

namespace ferry::hl7plugin {

inline constexpr std::string_view kHl7ContentType = "application/hl7-v2";
inline constexpr std::string_view kJsonContentType = "application/json";

// Parses HL7 v2 content; throws ferry::Error with the library's reason.
hl7::Message parse_hl7(std::string_view content);

}  // namespace ferry::hl7plugin
