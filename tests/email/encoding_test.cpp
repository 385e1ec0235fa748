// base64, quoted-printable, CRLF normalisation and UTF-8 repair.
#include <catch2/catch.hpp>

#include <string>

#include "encoding.hpp"

using namespace ferry::email;

TEST_CASE("base64 encodes the RFC 4648 test vectors") {
  CHECK(base64_encode("") == "");
  CHECK(base64_encode("f") == "Zg==");
  CHECK(base64_encode("fo") == "Zm8=");
  CHECK(base64_encode("foo") == "Zm9v");
  CHECK(base64_encode("foob") == "Zm9vYg==");
  CHECK(base64_encode("fooba") == "Zm9vYmE=");
  CHECK(base64_encode("foobar") == "Zm9vYmFy");
}

TEST_CASE("base64 lines are wrapped with CRLF at the line length") {
  const std::string data(100, 'x');
  const std::string enc = base64_encode(data, 76);
  size_t start = 0;
  for (size_t nl; (nl = enc.find("\r\n", start)) != std::string::npos; start = nl + 2) CHECK(nl - start == 76);
  CHECK(enc.size() - start <= 76);
  CHECK(base64_decode(enc) == data);
}

TEST_CASE("base64 round trips every byte value") {
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  for (size_t len = 0; len < 10; ++len) CHECK(base64_decode(base64_encode(all.substr(0, len))) == all.substr(0, len));
  CHECK(base64_decode(base64_encode(all, 76)) == all);
}

TEST_CASE("base64 decoding skips whitespace and accepts missing padding") {
  CHECK(base64_decode("Zm9v\r\nYmFy") == "foobar");
  CHECK(base64_decode(" Zm9vYg ") == "foob");
  CHECK(base64_decode("Zm9vYg==") == "foob");
}

TEST_CASE("base64 decoding refuses what is not base64") {
  CHECK_FALSE(base64_decode("Zm9v!"));
  CHECK_FALSE(base64_decode("Z"));          // one symbol cannot make a byte
  CHECK_FALSE(base64_decode("Zg==Zg=="));   // data after the padding
  CHECK_FALSE(base64_decode("Zg==="));      // too much padding
  CHECK_FALSE(base64_decode("Zm9vY==="));
  CHECK_FALSE(base64_decode("\\X0D\\"));    // an HL7 escape left in
}

TEST_CASE("quoted-printable keeps ASCII lines and encodes the rest") {
  CHECK(quoted_printable_encode("hello\r\nworld") == "hello\r\nworld");
  CHECK(quoted_printable_encode("a=b") == "a=3Db");
  CHECK(quoted_printable_encode("w\xC3\xB6rld") == "w=C3=B6rld");
  CHECK(quoted_printable_encode("trailing \r\nx\t") == "trailing=20\r\nx=09");
}

TEST_CASE("quoted-printable lines stay within 76 characters") {
  const std::string text = std::string(200, 'a') + "\r\n" + std::string(100, '\xE9');
  const std::string enc = quoted_printable_encode(text);
  size_t start = 0;
  for (size_t nl; (nl = enc.find("\r\n", start)) != std::string::npos; start = nl + 2) CHECK(nl - start <= 76);
  CHECK(enc.size() - start <= 76);
  CHECK(quoted_printable_decode(enc) == text);
}

TEST_CASE("quoted-printable decoding undoes soft breaks and keeps malformed escapes") {
  CHECK(quoted_printable_decode("ab=\r\ncd") == "abcd");
  CHECK(quoted_printable_decode("ab=\ncd") == "abcd");
  CHECK(quoted_printable_decode("ab= \r\ncd") == "abcd");
  CHECK(quoted_printable_decode("=C3=B6") == "\xC3\xB6");
  CHECK(quoted_printable_decode("=c3=b6") == "\xC3\xB6");
  CHECK(quoted_printable_decode("a=ZZb") == "a=ZZb");
  CHECK(quoted_printable_decode("end=") == "end");
}

TEST_CASE("every line break becomes CRLF") {
  CHECK(normalize_crlf("a\rb\nc\r\nd") == "a\r\nb\r\nc\r\nd");
  CHECK(normalize_crlf("MSH|x\rPID|y\r") == "MSH|x\r\nPID|y\r\n");
  CHECK(normalize_crlf("\r\n\r\n") == "\r\n\r\n");
}

TEST_CASE("invalid UTF-8 is replaced and valid UTF-8 kept") {
  CHECK(repair_utf8("gr\xC3\xBC\xC3\x9F") == "gr\xC3\xBC\xC3\x9F");
  CHECK(repair_utf8("gr\xFC\xDF") == "gr\xEF\xBF\xBD\xEF\xBF\xBD");  // Latin-1 bytes
  CHECK(repair_utf8("\xC0\xAF") == "\xEF\xBF\xBD\xEF\xBF\xBD");      // overlong
  CHECK(repair_utf8("\xED\xA0\x80") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
  CHECK(repair_utf8("\xF0\x9F\x98\x80") == "\xF0\x9F\x98\x80");
  CHECK(repair_utf8("\xE2\x82") == "\xEF\xBF\xBD\xEF\xBF\xBD");  // cut short
}
