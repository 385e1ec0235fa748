// Transfer encodings and text clean-up used by both directions: base64 and
// quoted-printable (RFC 2045), line-ending normalisation and UTF-8 repair.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ferry::email {

// base64 with CRLF after every line_length characters (0: one line). The
// line length is rounded down to a multiple of 4.
std::string base64_encode(std::string_view bytes, size_t line_length = 0);
// Whitespace (space, tab, CR, LF) is skipped; padding is optional. nullopt
// for any other character, or for data that cannot be base64.
std::optional<std::string> base64_decode(std::string_view text);

// Quoted-printable of text whose line breaks are CRLF: the breaks stay hard
// breaks, lines longer than 76 characters get soft breaks, and trailing
// spaces or tabs are encoded so no relay can strip them.
std::string quoted_printable_encode(std::string_view crlf_text);
// Lenient decoding (as RFC 2045 asks of readers): soft breaks are removed,
// a malformed "=" sequence is kept as it is.
std::string quoted_printable_decode(std::string_view text);

// Every line break (CRLF, a lone LF or a lone CR, as HL7 uses) becomes CRLF.
std::string normalize_crlf(std::string_view text);

// Valid UTF-8 stays as it is; every byte that is not part of a valid
// sequence becomes U+FFFD, so a charset=utf-8 label is always honest.
std::string repair_utf8(std::string_view text);
bool is_ascii(std::string_view text);

}  // namespace ferry::email
