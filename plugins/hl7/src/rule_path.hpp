// Paths written in the rules, checked once at create.
#pragma once

#include <ferry/hl7/message.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace ferry::hl7plugin {

struct RulePath {
  std::string text;  // as written, e.g. "OBX[2]-5.1"; what the library is given
  hl7::Path path;
  // A bare segment name ("NK1", no [n]): for delete, every segment of that name.
  bool every_occurrence = false;

  bool whole_segment() const { return path.field == 0; }

  // Throws std::invalid_argument with the library's explanation.
  static RulePath parse(std::string_view text);
};

// Why a rule cannot change `p` (set, copy "to", map, delete), or nullopt.
// `segment_ok`: a whole segment is acceptable (delete removes it).
std::optional<std::string> write_problem(const RulePath& p, bool segment_ok);

}  // namespace ferry::hl7plugin
