// split_messages: batch files and concatenated messages to single messages.
#include <string>

#include "delimiters.hpp"
#include "ferry/hl7/message.hpp"
#include "quote.hpp"

namespace ferry::hl7 {

namespace {

bool is_alnum(char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

// The segment a line is, judged by its name alone: the delimiters of a
// batch header may differ from those of the messages inside.
bool line_is(std::string_view line, std::string_view name) {
  return line.substr(0, 3) == name && (line.size() == 3 || !is_alnum(line[3]));
}

bool blank(std::string_view line) { return line.find_first_not_of(" \t") == std::string_view::npos; }

}  // namespace

std::vector<std::string> split_messages(std::string_view bytes) {
  std::vector<std::string> messages;
  bool open = false;  // whether segments now belong to messages.back()
  size_t pos = bytes.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
  while (pos < bytes.size()) {
    size_t eol = pos;
    while (eol < bytes.size() && !detail::is_segment_break(bytes[eol])) ++eol;
    // A message keeps one line break per segment, in the style it came with.
    size_t brk = eol;
    if (brk < bytes.size()) brk += bytes.substr(brk, 2) == "\r\n" ? 2 : 1;
    size_t next = brk;
    while (next < bytes.size() && detail::is_segment_break(bytes[next])) ++next;
    const std::string_view line = bytes.substr(pos, eol - pos);
    const std::string_view segment = bytes.substr(pos, brk - pos);
    if (line_is(line, "MSH")) {
      messages.emplace_back(segment);
      open = true;
    } else if (line_is(line, "FHS") || line_is(line, "BHS") || line_is(line, "BTS") || line_is(line, "FTS")) {
      open = false;
    } else if (!blank(line)) {
      if (!open) {
        throw ParseError("offset " + std::to_string(pos) + ": segment " + detail::quote(line.substr(0, 3)) +
                             " is outside any message (before the first MSH or after a batch trailer)",
                         pos);
      }
      messages.back() += segment;
    }
    pos = next;
  }
  if (messages.empty()) throw ParseError("no message: the input has no MSH segment", 0);
  return messages;
}

}  // namespace ferry::hl7
