// The encoded text a path names, to tell a plain value from one with
// components (Message::get decodes plain values but returns composite ones
// encoded, so its result alone cannot tell "A^B" from an escaped "A\S\B").
#pragma once

#include <ferry/hl7/message.hpp>

#include <optional>
#include <string>

namespace ferry::hl7plugin {

struct RawValue {
  std::string text;        // encoded, escapes unresolved
  bool composite = false;  // holds component or subcomponent separators below the path's level
};

// For a path with a field (not a whole segment); nullopt when absent.
std::optional<RawValue> raw_value(const hl7::Message& m, const hl7::Path& p);

}  // namespace ferry::hl7plugin
