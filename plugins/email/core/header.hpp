// Header fields: writing them safely (RFC 2047 encoded-words for anything
// that is not plain ASCII, folding, no control characters: a value can
// never start a header of its own) and decoding encoded-words when reading.
#pragma once

#include <string>
#include <string_view>

namespace ferry::email {

// Control characters (CR, LF, NUL, ...) become spaces and invalid UTF-8 is
// repaired. Everything written into a header goes through this first.
std::string clean_header_text(std::string_view text);

// "Name: value\r\n" for an unstructured field (Subject, custom headers):
// plain ASCII is folded at spaces, anything else becomes UTF-8 encoded-words.
std::string unstructured_header(std::string_view name, std::string_view value);

// A display name as an RFC 5322 phrase: atoms as they are, other ASCII as a
// quoted string, non-ASCII as encoded-words.
std::string encode_phrase(std::string_view name);

// UTF-8 encoded-words ("=?UTF-8?B?...?=") for text, joined by separator;
// each word at most 75 characters and never splitting a character.
std::string encoded_words(std::string_view utf8, std::string_view separator);

// Decodes RFC 2047 encoded-words (B and Q, any charset iconv knows) to
// UTF-8; the rest of the text is kept, with invalid UTF-8 repaired.
std::string decode_header_text(std::string_view value);

// Header values as received are "unfolded": CRLF followed by a blank is
// removed (RFC 5322 section 2.2.3).
std::string unfold(std::string_view value);

}  // namespace ferry::email
