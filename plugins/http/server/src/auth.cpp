#include <ferry/http/server/auth.hpp>

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include <array>
#include <strings.h>

namespace ferry::http::server {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

int base64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

std::array<unsigned char, SHA256_DIGEST_LENGTH> digest(std::string_view s) {
  std::array<unsigned char, SHA256_DIGEST_LENGTH> d{};
  SHA256(reinterpret_cast<const unsigned char*>(s.data()), s.size(), d.data());
  return d;
}

}  // namespace

std::optional<Credentials> parse_authorization(std::string_view value) {
  value = trim(value);
  const size_t space = value.find_first_of(" \t");
  const std::string_view scheme = value.substr(0, space);
  if (scheme.empty()) return std::nullopt;
  Credentials c;
  c.scheme = std::string(scheme);
  if (space != std::string_view::npos) c.credentials = std::string(trim(value.substr(space)));
  return c;
}

std::optional<std::string> decode_base64(std::string_view text) {
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  if (text.size() % 4 == 1) return std::nullopt;
  std::string out;
  out.reserve(text.size() * 3 / 4);
  uint32_t bits = 0;
  int have = 0;
  for (char c : text) {
    const int v = base64_value(c);
    if (v < 0) return std::nullopt;
    bits = (bits << 6) | static_cast<uint32_t>(v);
    have += 6;
    if (have >= 8) {
      have -= 8;
      out.push_back(static_cast<char>((bits >> have) & 0xFF));
    }
  }
  return out;
}

bool secrets_equal(std::string_view a, std::string_view b) {
  const auto da = digest(a), db = digest(b);
  return CRYPTO_memcmp(da.data(), db.data(), da.size()) == 0;
}

AuthResult authorize(const AuthSettings& s, std::optional<std::string_view> header) {
  if (s.mode == AuthMode::none) return {true, {}};
  const char* expected = s.mode == AuthMode::basic ? "Basic" : "Bearer";
  if (!header) return {false, "no Authorization header"};
  const auto c = parse_authorization(*header);
  if (!c || !iequals(c->scheme, expected))
    return {false, std::string("Authorization scheme is not ") + expected};
  if (s.mode == AuthMode::bearer) {
    if (c->credentials.empty()) return {false, "empty bearer token"};
    if (!secrets_equal(c->credentials, s.token)) return {false, "wrong bearer token"};
    return {true, {}};
  }
  const auto decoded = decode_base64(c->credentials);
  if (!decoded) return {false, "Basic credentials are not base64"};
  const size_t colon = decoded->find(':');
  if (colon == std::string::npos) return {false, "Basic credentials have no ':'"};
  // Both compared every time, so timing does not tell which one was wrong.
  const bool user_ok = secrets_equal(std::string_view(*decoded).substr(0, colon), s.username);
  const bool password_ok = secrets_equal(std::string_view(*decoded).substr(colon + 1), s.password);
  if (!(user_ok & password_ok)) return {false, "wrong user name or password"};
  return {true, {}};
}

std::string challenge(const AuthSettings& s) {
  if (s.mode == AuthMode::basic) return "Basic realm=\"" + s.realm + "\", charset=\"UTF-8\"";
  return "Bearer realm=\"" + s.realm + "\"";
}

}  // namespace ferry::http::server
