#include <ferry/http/header_templates.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>

namespace ferry::http {

namespace {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](unsigned char x, unsigned char y) {
           return std::tolower(x) == std::tolower(y);
         });
}

}  // namespace

bool is_token(std::string_view text) {
  if (text.empty()) return false;
  for (unsigned char c : text) {
    if (std::isalnum(c)) continue;
    if (std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) == std::string_view::npos) return false;
  }
  return true;
}

HeaderTemplates parse_header_templates(std::string_view json, std::string_view key) {
  const std::string k(key);
  nlohmann::json parsed;
  try {
    parsed = nlohmann::json::parse(json);
  } catch (const std::exception& e) {
    throw ferry::Error(k + ": not JSON: " + e.what());
  }
  if (!parsed.is_object()) throw ferry::Error(k + ": expected an object of header name -> value");
  HeaderTemplates out;
  for (const auto& [name, value] : parsed.items()) {
    if (!is_token(name)) throw ferry::Error(k + ": \"" + name + "\" is not a valid header name");
    // Framing is libcurl's job: a wrong length would corrupt the connection.
    if (iequals(name, "content-length") || iequals(name, "transfer-encoding"))
      throw ferry::Error(k + ": " + name + " is set by the sender itself");
    if (!value.is_string()) throw ferry::Error(k + "/" + name + ": expected a string");
    const std::string text = value.get<std::string>();
    if (text.find_first_of(std::string("\r\n\0", 3)) != std::string::npos)
      throw ferry::Error(k + "/" + name + ": a header value cannot contain CR, LF or NUL");
    out.emplace_back(name, ferry::tmpl::Template(text, k + "/" + name));
  }
  return out;
}

void expand_headers(const HeaderTemplates& headers, const ferry::tmpl::Context& context, Headers& out) {
  for (const auto& [name, tmpl] : headers) out.emplace_back(name, tmpl.expand(context, ferry::tmpl::Escape::header));
}

bool has_header(const Headers& headers, std::string_view name) {
  return std::any_of(headers.begin(), headers.end(), [&](const auto& h) { return iequals(h.first, name); });
}

}  // namespace ferry::http
