// Webhook signatures: HMAC-SHA256 over the exact body bytes, in the header
// formats receivers expect. Pure functions (no I/O, no clock), shared by
// webhook.sender (sign) and webhook.receiver (verify); docs/plugins/webhook.md
// states the formats for people writing the other end.
//
//   generic  X-Ferry-Signature: t=<unix seconds>,v1=<hex HMAC of "<t>.<body>">
//            (the timestamp is signed too, so a receiver can refuse replays)
//   github   X-Hub-Signature-256: sha256=<hex HMAC of the body>
//   frappe   X-Frappe-Webhook-Signature: <base64 HMAC of the body>
//   hmac     <header>: <hex or base64 HMAC of the body>
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace webhook {

// The raw 32-byte HMAC-SHA256 of data under key.
std::string hmac_sha256(std::string_view key, std::string_view data);

std::string to_hex(std::string_view bytes);     // lowercase
std::string to_base64(std::string_view bytes);  // standard alphabet, padded
// nullopt for anything that is not exactly that encoding (case-insensitive
// hex; base64 with or without padding, no whitespace).
std::optional<std::string> from_hex(std::string_view text);
std::optional<std::string> from_base64(std::string_view text);

// Equal contents, in time that depends only on the lengths (OpenSSL's
// CRYPTO_memcmp), so a forger learns nothing from response times.
bool constant_time_equal(std::string_view a, std::string_view b);

enum class Scheme { generic, github, frappe, hmac };
enum class Encoding { hex, base64 };

// Names as written in config ("generic", "github", "frappe", "hmac").
std::optional<Scheme> scheme_from_name(std::string_view name);
std::optional<Encoding> encoding_from_name(std::string_view name);  // "hex", "base64"
const char* scheme_name(Scheme scheme);
// The header a scheme uses unless the config names another.
const char* default_header(Scheme scheme);

struct SignatureFormat {
  Scheme scheme = Scheme::generic;
  std::string header;                 // "" means default_header(scheme)
  Encoding encoding = Encoding::hex;  // used by Scheme::hmac only

  const std::string& header_name() const;
};

struct SignatureHeader {
  std::string name;
  std::string value;
};

// The header to send with body. unix_seconds is used by the generic scheme
// only (the caller reads the clock, so tests are repeatable).
SignatureHeader sign(const SignatureFormat& format, std::string_view secret, std::string_view body,
                     int64_t unix_seconds);

enum class Verdict {
  ok,
  missing,    // no header value
  malformed,  // not in the scheme's format
  mismatch,   // wrong HMAC (wrong secret or changed body)
  expired,    // generic: timestamp outside the tolerance window
};

struct Verification {
  Verdict verdict = Verdict::missing;
  std::string reason;  // for logs and the 401 body; never contains the secret or the expected HMAC
  bool ok() const { return verdict == Verdict::ok; }
};

// Checks the header value a request carried (nullopt: no such header).
// Generic scheme: |now - t| must be at most tolerance_seconds (0: no limit),
// and any of several v1= entries may match (secret rotation).
Verification verify(const SignatureFormat& format, std::string_view secret, std::string_view body,
                    std::optional<std::string_view> header_value, int64_t now_unix_seconds,
                    int64_t tolerance_seconds);

}  // namespace webhook
