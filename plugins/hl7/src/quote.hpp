// Showing values from messages and config in filter reasons and errors.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ferry::hl7plugin {

// `value` as a JSON string ("ADT", control characters escaped), safe for
// logs and the store; longer than max_bytes, it is cut (on a UTF-8
// boundary) and followed by `... (N bytes)`.
std::string quote_text(std::string_view value, size_t max_bytes = 80);

// A value read from a message: quote_text(), or `(absent)` when there is none.
std::string shown(const std::optional<std::string>& value);

// ["ADT", "ORU"]; after `max_items` values, `..., N values in all`.
std::string quote_list(const std::vector<std::string>& values, size_t max_items = 10);

}  // namespace ferry::hl7plugin
