// Request headers configured as {"Name": "template"}: checked once at create
// (names are HTTP tokens, no CR/LF in the text), expanded per message with
// values made header-safe (CR, LF, NUL become spaces).
#pragma once

#include <ferry/http/client.hpp>
#include <ferry/template/template.hpp>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ferry::http {

using HeaderTemplates = std::vector<std::pair<std::string, ferry::tmpl::Template>>;

// True for an RFC 9110 token (header names, methods).
bool is_token(std::string_view text);

// `json` is the key's JSON text (an object of strings). Throws ferry::Error
// naming `key` and the header at fault.
HeaderTemplates parse_header_templates(std::string_view json, std::string_view key);

// Appends the expanded headers to `out`.
void expand_headers(const HeaderTemplates& headers, const ferry::tmpl::Context& context, Headers& out);

// Whether `headers` has one named `name` (case-insensitive).
bool has_header(const Headers& headers, std::string_view name);

}  // namespace ferry::http
