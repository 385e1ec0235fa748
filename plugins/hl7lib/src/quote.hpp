// Quoting untrusted bytes inside error messages.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace ferry::hl7::detail {

// `text` in double quotes, safe to log and to put into an ACK: error texts
// end up in logs and in MSA-3/ERR-8, so raw control bytes, delimiters of
// some other message or invalid UTF-8 from the input must never leak into
// them. Bytes outside printable ASCII become \xNN; long text is cut.
std::string quote(std::string_view text, size_t max_chars = 40);

}  // namespace ferry::hl7::detail
