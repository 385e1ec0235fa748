// Escape sequences: decoded on read, encoded on write, formatting kept.
#include <catch2/catch.hpp>

#include <vector>

#include <random>

#include "escape.hpp"
#include "ferry/hl7/message.hpp"

using ferry::hl7::Delimiters;
using ferry::hl7::Message;
using ferry::hl7::detail::Charset;
using ferry::hl7::detail::decode;
using ferry::hl7::detail::encode;

namespace {

const Delimiters kStd;
const Delimiters kAlt{'#', '@', '$', '!', '%', 0};
const Delimiters kTrunc{'|', '^', '~', '\\', '&', '#'};

}  // namespace

TEST_CASE("delimiter escapes are decoded") {
  CHECK(decode("a\\F\\b\\S\\c\\T\\d\\R\\e\\E\\f", kStd, Charset::utf8) == "a|b^c&d~e\\f");
  CHECK(decode("O\\T\\Brien", kStd, Charset::ascii) == "O&Brien");
  CHECK(decode("a!F!b!S!c!T!d!R!e!E!f", kAlt, Charset::ascii) == "a#b@c%d$e!f");
}

TEST_CASE("hex escapes are decoded as bytes of the message charset") {
  CHECK(decode("\\X41\\", kStd, Charset::ascii) == "A");
  CHECK(decode("\\X414243\\x", kStd, Charset::ascii) == "ABCx");
  CHECK(decode("\\X0D0A\\", kStd, Charset::ascii) == "\r\n");
  CHECK(decode("\\Xc3a9\\", kStd, Charset::utf8) == "\xC3\xA9");
  CHECK(decode("\\XE9\\", kStd, Charset::latin1) == "\xC3\xA9");  // é, converted to UTF-8
  // Bytes that are not text in the charset stay as written.
  CHECK(decode("\\XE9\\", kStd, Charset::utf8) == "\\XE9\\");
  CHECK(decode("\\XFF\\", kStd, Charset::ascii) == "\\XFF\\");
  // Malformed hex escapes stay as written.
  CHECK(decode("\\X4\\", kStd, Charset::ascii) == "\\X4\\");
  CHECK(decode("\\XZZ\\", kStd, Charset::ascii) == "\\XZZ\\");
  CHECK(decode("\\X\\", kStd, Charset::ascii) == "\\X\\");
}

TEST_CASE("formatting and other escapes pass through unchanged on read") {
  for (const std::string& raw : std::vector<std::string>{"line1\\.br\\line2", "\\.sp2\\", "\\.in+4\\", "\\.ti-2\\", "\\.ce\\", "\\H\\bold\\N\\",
                                "\\Zabc1\\", "\\C2842\\", "\\M2442\\", "\\M244230\\", "\\unknown\\", "\\\\",
                                "lone \\ escape", "end\\"}) {
    CAPTURE(raw);
    CHECK(decode(raw, kStd, Charset::utf8) == raw);
  }
}

TEST_CASE("the truncation escape needs a truncation character") {
  CHECK(decode("5\\P\\", kTrunc, Charset::ascii) == "5#");
  CHECK(decode("5\\P\\", kStd, Charset::ascii) == "5\\P\\");
  CHECK(encode("Apt #5", kTrunc) == "Apt \\P\\5");
  CHECK(encode("Apt #5", kStd) == "Apt #5");
}

TEST_CASE("delimiters and line breaks are escaped on write") {
  CHECK(encode("a|b^c&d~e\\f", kStd) == "a\\F\\b\\S\\c\\T\\d\\R\\e\\E\\f");
  CHECK(encode("a#b@c%d$e!f", kAlt) == "a!F!b!S!c!T!d!R!e!E!f");
  CHECK(encode("line1\r\nline2\n", kStd) == "line1\\X0D\\\\X0A\\line2\\X0A\\");
  CHECK(encode("", kStd) == "");
  CHECK(encode("\"\"", kStd) == "\"\"");
  CHECK(encode("C:\\temp\\file", kStd) == "C:\\E\\temp\\E\\file");
}

TEST_CASE("formatting sequences in a value are written as they are") {
  CHECK(encode("line1\\.br\\line2", kStd) == "line1\\.br\\line2");
  CHECK(encode("\\H\\bold\\N\\", kStd) == "\\H\\bold\\N\\");
  CHECK(encode("\\Zabc\\", kStd) == "\\Zabc\\");
  // ...but never when that would write a delimiter unescaped.
  const Delimiters plus{'|', '+', '~', '\\', '&', 0};
  CHECK(encode("\\.in+4\\", plus) == "\\E\\.in\\S\\4\\E\\");
  // Escapes that decode() resolves are data when they appear in a value.
  CHECK(encode("\\F\\", kStd) == "\\E\\F\\E\\");
  CHECK(encode("\\X41\\", kStd) == "\\E\\X41\\E\\");
}

TEST_CASE("decode of encode is the identity") {
  std::mt19937 rng(99);
  const std::string alphabet = "ab|^&~\\#\r\n.brHNZXF0A \"\xC3\xA9";
  for (const auto& d : {kStd, kAlt, kTrunc}) {
    for (int round = 0; round < 2000; ++round) {
      std::string value;
      const size_t len = rng() % 24;
      for (size_t i = 0; i < len; ++i) value += alphabet[rng() % alphabet.size()];
      const std::string encoded = encode(value, d);
      CAPTURE(value, encoded);
      CHECK(decode(encoded, d, Charset::utf8) == value);
      for (const char c : encoded) {
        CHECK(c != d.field);
        CHECK(c != d.component);
        CHECK(c != d.repetition);
        CHECK(c != d.subcomponent);
        CHECK(c != '\r');
        CHECK(c != '\n');
      }
    }
  }
}

TEST_CASE("set escapes and get decodes through the message") {
  auto m = Message::parse("MSH|^~\\&|A|B|C|D|20260101||ORU^R01|1|P|2.5\rOBX|1|TX|||x\r");
  m.set("OBX-5", "Na|K^Cl&HCO3~pH\\done");
  CHECK(m.segment_text(1) == "OBX|1|TX|||Na\\F\\K\\S\\Cl\\T\\HCO3\\R\\pH\\E\\done");
  CHECK(m.get("OBX-5") == "Na|K^Cl&HCO3~pH\\done");
  m.set("OBX-5", "first\\.br\\second");
  CHECK(m.segment_text(1) == "OBX|1|TX|||first\\.br\\second");
  CHECK(m.get("OBX-5") == "first\\.br\\second");
}
