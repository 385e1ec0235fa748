// A unified diff (3 lines of context) of two texts, for `ferry test`
// failures. Lines end at CRLF, CR or LF; when the two sides end their lines
// differently, every line shows its ending (\r, \n, \r\n) so the difference
// is visible.
#pragma once

#include <string>
#include <string_view>

namespace ferry::cli {

// Empty when the texts are equal.
std::string unified_diff(std::string_view expected, std::string_view actual, std::string_view expected_label,
                         std::string_view actual_label);

}  // namespace ferry::cli
