#include "signature.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <stdexcept>
#include <vector>

namespace webhook {

namespace {

constexpr size_t kMacBytes = 32;
constexpr std::string_view kGithubPrefix = "sha256=";

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

int base64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

Verification verdict(Verdict v, std::string reason) { return Verification{v, std::move(reason)}; }

// A received MAC (already decoded) against the one we compute.
Verification compare(std::string_view expected, const std::optional<std::string>& received, const char* format) {
  if (!received || received->size() != kMacBytes)
    return verdict(Verdict::malformed, std::string("signature is not ") + format + " of an HMAC-SHA256");
  if (!constant_time_equal(expected, *received)) return verdict(Verdict::mismatch, "signature does not match");
  return verdict(Verdict::ok, {});
}

std::optional<int64_t> parse_unix_seconds(std::string_view text) {
  if (text.empty() || text.size() > 18) return std::nullopt;  // 18 digits cannot overflow int64
  int64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

std::string generic_payload(int64_t t, std::string_view body) {
  std::string payload = std::to_string(t);
  payload += '.';
  payload += body;
  return payload;
}

Verification verify_generic(std::string_view secret, std::string_view body, std::string_view value, int64_t now,
                            int64_t tolerance) {
  std::optional<int64_t> t;
  std::vector<std::string_view> candidates;
  while (!value.empty()) {
    const size_t comma = value.find(',');
    const std::string_view item = trim(value.substr(0, comma));
    value = comma == std::string_view::npos ? std::string_view() : value.substr(comma + 1);
    const size_t eq = item.find('=');
    if (eq == std::string_view::npos) continue;
    const std::string_view key = item.substr(0, eq), v = item.substr(eq + 1);
    if (key == "t") {
      if (t) return verdict(Verdict::malformed, "signature header has more than one t=");
      t = parse_unix_seconds(v);
      if (!t) return verdict(Verdict::malformed, "signature timestamp t= is not a Unix time in seconds");
    } else if (key == "v1") {
      candidates.push_back(v);
    }  // other schemes (v0=, ...) are ignored, as receivers of this format do
  }
  if (!t) return verdict(Verdict::malformed, "signature header has no t=<unix seconds>");
  if (candidates.empty()) return verdict(Verdict::malformed, "signature header has no v1=<hex>");
  const std::string expected = hmac_sha256(secret, generic_payload(*t, body));
  Verification result = verdict(Verdict::malformed, "signature v1= is not hex of an HMAC-SHA256");
  for (std::string_view c : candidates) {
    const Verification one = compare(expected, from_hex(c), "hex");
    if (one.ok()) {
      result = one;
      break;
    }
    if (one.verdict == Verdict::mismatch) result = one;
  }
  if (!result.ok()) return result;
  // Checked after the MAC, so an attacker cannot probe the window with junk.
  const int64_t skew = now >= *t ? now - *t : *t - now;
  if (tolerance > 0 && skew > tolerance)
    return verdict(Verdict::expired, "signature timestamp is " + std::to_string(skew) +
                                         " s away from now (tolerance " + std::to_string(tolerance) + " s)");
  return result;
}

}  // namespace

std::string hmac_sha256(std::string_view key, std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
  unsigned int size = 0;
  // An empty key is legal HMAC; OpenSSL wants a non-null pointer for it.
  static const unsigned char empty = 0;
  const void* k = key.empty() ? static_cast<const void*>(&empty) : static_cast<const void*>(key.data());
  const unsigned char* d =
      data.empty() ? &empty : reinterpret_cast<const unsigned char*>(data.data());
  if (HMAC(EVP_sha256(), k, static_cast<int>(key.size()), d, data.size(), out.data(), &size) == nullptr ||
      size != kMacBytes)
    throw std::runtime_error("HMAC-SHA256 failed (OpenSSL)");
  return std::string(reinterpret_cast<const char*>(out.data()), size);
}

std::string to_hex(std::string_view bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += digits[c >> 4];
    out += digits[c & 0x0f];
  }
  return out;
}

std::string to_base64(std::string_view bytes) {
  static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const uint32_t n = static_cast<uint32_t>(static_cast<unsigned char>(bytes[i])) << 16 |
                       static_cast<uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8 |
                       static_cast<unsigned char>(bytes[i + 2]);
    out += alphabet[n >> 18 & 63];
    out += alphabet[n >> 12 & 63];
    out += alphabet[n >> 6 & 63];
    out += alphabet[n & 63];
  }
  const size_t rest = bytes.size() - i;
  if (rest > 0) {
    uint32_t n = static_cast<uint32_t>(static_cast<unsigned char>(bytes[i])) << 16;
    if (rest == 2) n |= static_cast<uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8;
    out += alphabet[n >> 18 & 63];
    out += alphabet[n >> 12 & 63];
    out += rest == 2 ? alphabet[n >> 6 & 63] : '=';
    out += '=';
  }
  return out;
}

std::optional<std::string> from_hex(std::string_view text) {
  if (text.size() % 2 != 0) return std::nullopt;
  std::string out;
  out.reserve(text.size() / 2);
  for (size_t i = 0; i < text.size(); i += 2) {
    const int hi = hex_value(text[i]), lo = hex_value(text[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi << 4 | lo);
  }
  return out;
}

std::optional<std::string> from_base64(std::string_view text) {
  size_t pad = 0;
  while (!text.empty() && text.back() == '=' && pad < 2) {
    text.remove_suffix(1);
    ++pad;
  }
  if (text.size() % 4 == 1) return std::nullopt;          // no whole byte in the last group
  if (pad > 0 && (text.size() + pad) % 4 != 0) return std::nullopt;  // padding that does not fill the group
  std::string out;
  out.reserve(text.size() * 3 / 4);
  uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    const int v = base64_value(c);
    if (v < 0) return std::nullopt;
    acc = (acc << 6 | static_cast<uint32_t>(v)) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>(acc >> bits & 0xff);
    }
  }
  // Leftover bits must be zero, or two texts would decode to the same bytes.
  if (bits > 0 && (acc & ((1u << bits) - 1)) != 0) return std::nullopt;
  return out;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return a.empty() || CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::optional<Scheme> scheme_from_name(std::string_view name) {
  if (name == "generic") return Scheme::generic;
  if (name == "github") return Scheme::github;
  if (name == "frappe") return Scheme::frappe;
  if (name == "hmac") return Scheme::hmac;
  return std::nullopt;
}

std::optional<Encoding> encoding_from_name(std::string_view name) {
  if (name == "hex") return Encoding::hex;
  if (name == "base64") return Encoding::base64;
  return std::nullopt;
}

const char* scheme_name(Scheme scheme) {
  switch (scheme) {
    case Scheme::generic: return "generic";
    case Scheme::github: return "github";
    case Scheme::frappe: return "frappe";
    case Scheme::hmac: return "hmac";
  }
  return "generic";
}

const char* default_header(Scheme scheme) {
  switch (scheme) {
    case Scheme::generic: return "X-Ferry-Signature";
    case Scheme::github: return "X-Hub-Signature-256";
    case Scheme::frappe: return "X-Frappe-Webhook-Signature";
    case Scheme::hmac: return "X-Signature";
  }
  return "X-Ferry-Signature";
}

const std::string& SignatureFormat::header_name() const {
  if (header.empty()) {
    static const std::string names[] = {default_header(Scheme::generic), default_header(Scheme::github),
                                        default_header(Scheme::frappe), default_header(Scheme::hmac)};
    return names[static_cast<int>(scheme)];
  }
  return header;
}

SignatureHeader sign(const SignatureFormat& format, std::string_view secret, std::string_view body,
                     int64_t unix_seconds) {
  SignatureHeader h{format.header_name(), {}};
  switch (format.scheme) {
    case Scheme::generic:
      h.value = "t=" + std::to_string(unix_seconds) + ",v1=" +
                to_hex(hmac_sha256(secret, generic_payload(unix_seconds, body)));
      break;
    case Scheme::github: h.value = std::string(kGithubPrefix) + to_hex(hmac_sha256(secret, body)); break;
    case Scheme::frappe: h.value = to_base64(hmac_sha256(secret, body)); break;
    case Scheme::hmac: {
      const std::string mac = hmac_sha256(secret, body);
      h.value = format.encoding == Encoding::base64 ? to_base64(mac) : to_hex(mac);
      break;
    }
  }
  return h;
}

Verification verify(const SignatureFormat& format, std::string_view secret, std::string_view body,
                    std::optional<std::string_view> header_value, int64_t now_unix_seconds,
                    int64_t tolerance_seconds) {
  if (!header_value || trim(*header_value).empty())
    return verdict(Verdict::missing, "missing signature header " + format.header_name());
  const std::string_view value = trim(*header_value);
  switch (format.scheme) {
    case Scheme::generic: return verify_generic(secret, body, value, now_unix_seconds, tolerance_seconds);
    case Scheme::github:
      if (value.substr(0, kGithubPrefix.size()) != kGithubPrefix)
        return verdict(Verdict::malformed, "signature does not start with sha256=");
      return compare(hmac_sha256(secret, body), from_hex(value.substr(kGithubPrefix.size())), "hex");
    case Scheme::frappe: return compare(hmac_sha256(secret, body), from_base64(value), "base64");
    case Scheme::hmac:
      return format.encoding == Encoding::base64 ? compare(hmac_sha256(secret, body), from_base64(value), "base64")
                                                 : compare(hmac_sha256(secret, body), from_hex(value), "hex");
  }
  return verdict(Verdict::malformed, "unknown signature scheme");
}

}  // namespace webhook
