// Showing messages to a person: content split into lines (HL7 segments end
// with a bare CR, which a terminal would overprint), values quoted.
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ferry::dryrun {

struct Line {
  std::string_view text;
  std::string_view end;  // "\r\n", "\r", "\n", or empty for the last line without one
};

// Lines end at CRLF, CR or LF. Empty content has no lines.
std::vector<Line> split_lines(std::string_view content);

// A value as a JSON string literal: quotes, control characters escaped,
// invalid UTF-8 replaced.
std::string quote(std::string_view value);

// Control characters (except tab) as \xNN, the rest as it is.
std::string visible(std::string_view text);

// "3 lines ending in CR", "2 lines ending in LF (none after the last)", ...
std::string line_summary(std::string_view content);

// "application/hl7-v2, 182 bytes, 3 lines ending in CR"
std::string describe(std::string_view content, std::string_view content_type);

// Each line of content as `<indent>| text`.
void print_block(std::ostream& out, std::string_view content, std::string_view indent);

// Metadata, one `key = "value"` per line; with `before`, keys are marked
// (new), (changed) or listed as (removed).
using Meta = std::vector<std::pair<std::string, std::string>>;
void print_meta(std::ostream& out, const Meta& meta, std::string_view indent, const Meta* before = nullptr);

}  // namespace ferry::dryrun
