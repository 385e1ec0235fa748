// Text in a mail's declared charset to UTF-8 (glibc iconv), for reading mail.
#pragma once

#include <string>
#include <string_view>

namespace ferry::email {

// UTF-8 and US-ASCII are only repaired; other charsets go through iconv.
// An unknown charset, or bytes iconv cannot convert, fall back to the bytes
// read as UTF-8 with invalid sequences replaced (never an exception).
std::string to_utf8(std::string_view bytes, std::string_view charset);

}  // namespace ferry::email
