// Character sets named by MSH-18, and conversion to and from the UTF-8 the
// library works in.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace ferry::hl7::detail {

enum class Charset {
  ascii,   // MSH-18 empty or ASCII; read and written as UTF-8 (see docs/hl7.md)
  utf8,    // UNICODE UTF-8, UTF-8
  latin1,  // 8859/1, ISO-8859-1
};

// The charset the first repetition of MSH-18 (decoded) names, any case,
// spaces around it ignored. nullopt with `error` set when it names one this
// library cannot convert.
std::optional<Charset> charset_named(std::string_view name, std::string& error);

// The names accepted in MSH-18, for error texts and docs.
std::string_view supported_charsets();

// Byte offset of the first byte that does not belong to a well-formed UTF-8
// sequence (no overlongs, surrogates or code points past U+10FFFF), or npos.
size_t invalid_utf8_at(std::string_view bytes);

// Wire bytes in `cs` to UTF-8. Callers validate UTF-8 input first; only
// Latin-1 actually changes.
std::string to_utf8(std::string_view bytes, Charset cs);

// UTF-8 to wire bytes in `cs`; nullopt when a character has no encoding in it.
std::optional<std::string> from_utf8(std::string_view text, Charset cs);

// As from_utf8, but characters that cannot be written (and invalid UTF-8)
// become '?': for texts we generate ourselves, which must always go out.
std::string from_utf8_lossy(std::string_view text, Charset cs);

// Invalid UTF-8 bytes replaced by '?', so the result is always valid.
std::string sanitize_utf8(std::string_view bytes);

}  // namespace ferry::hl7::detail
