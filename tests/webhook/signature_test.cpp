// Webhook signatures against vectors computed outside Ferry: RFC 4231, the
// example in GitHub's webhook docs, and values from
// `printf ... | openssl dgst -sha256 -hmac KEY [-binary | base64]`.
#include <catch2/catch.hpp>

#include "signature.hpp"

using webhook::Encoding;
using webhook::Scheme;
using webhook::SignatureFormat;
using webhook::Verdict;

namespace {

std::string hex_hmac(std::string_view key, std::string_view data) {
  return webhook::to_hex(webhook::hmac_sha256(key, data));
}

SignatureFormat format(Scheme s, Encoding e = Encoding::hex, std::string header = {}) {
  SignatureFormat f;
  f.scheme = s;
  f.encoding = e;
  f.header = std::move(header);
  return f;
}

}  // namespace

TEST_CASE("HMAC-SHA256 matches RFC 4231 and openssl dgst", "[webhook][signature]") {
  CHECK(hex_hmac("Jefe", "what do ya want for nothing?") ==
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  CHECK(hex_hmac("secret", "hello world") == "734cc62f32841568f45715aeb9f4d7891324e6d948e4c6c60c0621cdac48623a");
  CHECK(hex_hmac("key", "") == "5d5d139563c95b5967b9bd9a8c9b233a9dedb45072794cd232dc1b74832607d0");
  CHECK(hex_hmac("key", "The quick brown fox jumps over the lazy dog") ==
        "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");
  // Bytes that are not text, and NULs, are signed as they are.
  CHECK(webhook::hmac_sha256("k", std::string("a\0b", 3)) != webhook::hmac_sha256("k", "a"));
  CHECK(webhook::hmac_sha256("", "x").size() == 32);
}

TEST_CASE("hex and base64 round trips and strict decoding", "[webhook][signature]") {
  CHECK(webhook::to_hex(std::string("\x00\xff\x10", 3)) == "00ff10");
  CHECK(webhook::from_hex("00FF10") == std::string("\x00\xff\x10", 3));
  CHECK_FALSE(webhook::from_hex("abc"));
  CHECK_FALSE(webhook::from_hex("zz"));
  CHECK(webhook::to_base64("") == "");
  CHECK(webhook::to_base64("f") == "Zg==");
  CHECK(webhook::to_base64("fo") == "Zm8=");
  CHECK(webhook::to_base64("foo") == "Zm9v");
  CHECK(webhook::to_base64("foobar") == "Zm9vYmFy");
  CHECK(webhook::from_base64("Zg==") == std::string("f"));
  CHECK(webhook::from_base64("Zg") == std::string("f"));
  CHECK(webhook::from_base64("Zm8=") == std::string("fo"));
  CHECK(webhook::from_base64("Zm9vYmFy") == std::string("foobar"));
  CHECK_FALSE(webhook::from_base64("Zh=="));   // non-zero leftover bits
  CHECK_FALSE(webhook::from_base64("Z"));      // half a byte
  CHECK_FALSE(webhook::from_base64("Zm9v=")); // padding that fills nothing
  CHECK_FALSE(webhook::from_base64("Zm 9v"));
  CHECK_FALSE(webhook::from_base64("Zm9-"));   // base64url is not accepted
  const std::string all = [] {
    std::string s;
    for (int i = 0; i < 256; ++i) s += static_cast<char>(i);
    return s;
  }();
  for (size_t n = 0; n <= all.size(); n += 17) {
    const std::string part = all.substr(0, n);
    CHECK(webhook::from_base64(webhook::to_base64(part)) == part);
    CHECK(webhook::from_hex(webhook::to_hex(part)) == part);
  }
}

TEST_CASE("constant time compare", "[webhook][signature]") {
  CHECK(webhook::constant_time_equal("", ""));
  CHECK(webhook::constant_time_equal("abc", "abc"));
  CHECK_FALSE(webhook::constant_time_equal("abc", "abd"));
  CHECK_FALSE(webhook::constant_time_equal("abc", "ab"));
}

TEST_CASE("GitHub scheme uses the documented example", "[webhook][signature]") {
  // https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries
  const auto f = format(Scheme::github);
  const auto h = webhook::sign(f, "It's a Secret to Everybody", "Hello, World!", 0);
  CHECK(h.name == "X-Hub-Signature-256");
  CHECK(h.value == "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
  CHECK(webhook::verify(f, "It's a Secret to Everybody", "Hello, World!", h.value, 0, 0).ok());
  CHECK(webhook::verify(f, "It's a Secret to Everybody", "Hello, World?", h.value, 0, 0).verdict == Verdict::mismatch);
  CHECK(webhook::verify(f, "wrong", "Hello, World!", h.value, 0, 0).verdict == Verdict::mismatch);
  CHECK(webhook::verify(f, "s", "b", std::string_view("757107ea"), 0, 0).verdict == Verdict::malformed);
  CHECK(webhook::verify(f, "s", "b", std::string_view("sha256=xyz"), 0, 0).verdict == Verdict::malformed);
  CHECK(webhook::verify(f, "s", "b", std::nullopt, 0, 0).verdict == Verdict::missing);
  CHECK(webhook::verify(f, "s", "b", std::string_view("  "), 0, 0).verdict == Verdict::missing);
}

TEST_CASE("Frappe scheme is base64 of the body HMAC", "[webhook][signature]") {
  const auto f = format(Scheme::frappe);
  const auto h = webhook::sign(f, "frappe-secret", "{\"a\":1}", 0);
  CHECK(h.name == "X-Frappe-Webhook-Signature");
  CHECK(h.value == "vLbwdXk5JZ8Jzl1qVuc+5b+RwZr/Amg7vtuL5j4KXtg=");
  CHECK(webhook::verify(f, "frappe-secret", "{\"a\":1}", h.value, 0, 0).ok());
  CHECK(webhook::verify(f, "frappe-secret", "{\"a\":2}", h.value, 0, 0).verdict == Verdict::mismatch);
  CHECK(webhook::verify(f, "frappe-secret", "{\"a\":1}", std::string_view("not base64!"), 0, 0).verdict ==
        Verdict::malformed);
}

TEST_CASE("plain HMAC scheme with a chosen header and encoding", "[webhook][signature]") {
  const auto hex = format(Scheme::hmac, Encoding::hex, "X-Lab-Signature");
  const auto h = webhook::sign(hex, "It's a Secret to Everybody", "{\"a\":1}", 0);
  CHECK(h.name == "X-Lab-Signature");
  CHECK(h.value == webhook::to_hex(*webhook::from_base64("Oup9mIIBLWnqSbhEO5TnVRefhe6DC/qQHvtdxnOvY6M=")));
  CHECK(webhook::verify(hex, "It's a Secret to Everybody", "{\"a\":1}", h.value, 0, 0).ok());
  const auto b64 = format(Scheme::hmac, Encoding::base64);
  const auto h2 = webhook::sign(b64, "It's a Secret to Everybody", "{\"a\":1}", 0);
  CHECK(h2.name == "X-Signature");
  CHECK(h2.value == "Oup9mIIBLWnqSbhEO5TnVRefhe6DC/qQHvtdxnOvY6M=");
  CHECK(webhook::verify(b64, "It's a Secret to Everybody", "{\"a\":1}", h2.value, 0, 0).ok());
  // The other encoding of the right MAC is not accepted.
  CHECK(webhook::verify(b64, "It's a Secret to Everybody", "{\"a\":1}", h.value, 0, 0).verdict == Verdict::malformed);
}

TEST_CASE("generic scheme signs the timestamp and checks the window", "[webhook][signature]") {
  const auto f = format(Scheme::generic);
  const std::string body = "{\"event\":\"x\"}";
  const auto h = webhook::sign(f, "whsec", body, 1700000000);
  CHECK(h.name == "X-Ferry-Signature");
  // printf '1700000000.{"event":"x"}' | openssl dgst -sha256 -hmac whsec
  CHECK(h.value == "t=1700000000,v1=84da94eb7ba592f37db15d3d593d9ca72576fb27dbd519ff98dd8685441561de");
  CHECK(webhook::verify(f, "whsec", body, h.value, 1700000000, 300).ok());
  CHECK(webhook::verify(f, "whsec", body, h.value, 1700000300, 300).ok());
  CHECK(webhook::verify(f, "whsec", body, h.value, 1699999700, 300).ok());
  const auto late = webhook::verify(f, "whsec", body, h.value, 1700000301, 300);
  CHECK(late.verdict == Verdict::expired);
  CHECK(late.reason.find("301 s") != std::string::npos);
  CHECK(webhook::verify(f, "whsec", body, h.value, 1900000000, 0).ok());  // 0: no window
  // A replayed signature with a new timestamp does not match.
  CHECK(webhook::verify(f, "whsec", body,
                        std::string_view("t=1700000500,v1=84da94eb7ba592f37db15d3d593d9ca72576fb27dbd519ff98dd8685441561de"),
                        1700000500, 300)
            .verdict == Verdict::mismatch);
  // Spaces, unknown entries and several v1 (secret rotation) are fine.
  const std::string rotated = " t=1700000000 , v0=abc, v1=" + std::string(64, '0') + ", " + h.value.substr(13);
  CHECK(webhook::verify(f, "whsec", body, rotated, 1700000000, 300).ok());
  CHECK(webhook::verify(f, "whsec", body, std::string_view("v1=00"), 0, 0).verdict == Verdict::malformed);
  CHECK(webhook::verify(f, "whsec", body, std::string_view("t=1700000000"), 0, 0).verdict == Verdict::malformed);
  CHECK(webhook::verify(f, "whsec", body, std::string_view("t=-5,v1=00"), 0, 0).verdict == Verdict::malformed);
  CHECK(webhook::verify(f, "whsec", body, std::string_view("t=99999999999999999999,v1=00"), 0, 0).verdict ==
        Verdict::malformed);
  CHECK(webhook::verify(f, "whsec", body, std::string_view("t=1,t=2,v1=00"), 0, 0).verdict == Verdict::malformed);
  // A wrong MAC is reported as such even when the timestamp is also stale.
  CHECK(webhook::verify(f, "other", body, h.value, 1900000000, 300).verdict == Verdict::mismatch);
}

TEST_CASE("scheme and encoding names", "[webhook][signature]") {
  for (const char* name : {"generic", "github", "frappe", "hmac"}) {
    const auto s = webhook::scheme_from_name(name);
    REQUIRE(s);
    CHECK(std::string(webhook::scheme_name(*s)) == name);
  }
  CHECK_FALSE(webhook::scheme_from_name("stripe"));
  CHECK(webhook::encoding_from_name("base64") == Encoding::base64);
  CHECK_FALSE(webhook::encoding_from_name("b64"));
  CHECK(format(Scheme::generic).header_name() == "X-Ferry-Signature");
  CHECK(format(Scheme::hmac, Encoding::hex, "X-Mine").header_name() == "X-Mine");
}
