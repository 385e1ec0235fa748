// The signature keys webhook.sender and webhook.receiver share (secret,
// scheme, header, encoding), declared and read once.
#pragma once

#include <ferry/http/header_templates.hpp>
#include <ferry/plugin.hpp>

#include <array>

#include "signature.hpp"

namespace webhook {

inline constexpr const char* const scheme_names[] = {"generic", "github", "frappe", "hmac", nullptr};
inline constexpr const char* const encoding_names[] = {"hex", "base64", nullptr};

constexpr auto signature_keys() {
  using K = ferry::Key;
  return std::array{
      K::string("secret").describe("Shared HMAC-SHA256 key (use ${env:...} or ${file:...})").required().min(1).secret(),
      K::string("scheme").describe("Signature format: generic (t=,v1=), github, frappe, hmac").fallback("\"generic\"").one_of(scheme_names),
      K::string("header").describe("Signature header name (default: the scheme's)").fallback("\"\""),
      K::string("encoding").describe("Signature encoding of the hmac scheme").fallback("\"hex\"").one_of(encoding_names),
  };
}

// The host has checked scheme and encoding against the lists above; a bad
// header name throws ferry::Error naming the key.
inline SignatureFormat read_signature_format(const ferry::Config& c) {
  SignatureFormat f;
  f.scheme = *scheme_from_name(c.string("scheme"));
  f.encoding = *encoding_from_name(c.string("encoding"));
  f.header = c.string("header");
  if (!f.header.empty() && !ferry::http::is_token(f.header))
    throw ferry::Error("header: \"" + f.header + "\" is not a valid header name");
  return f;
}

}  // namespace webhook
