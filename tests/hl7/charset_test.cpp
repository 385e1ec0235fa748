// MSH-18 character sets: converted to UTF-8 on parse and back on serialize.
#include <catch2/catch.hpp>

#include <vector>

#include "charset.hpp"
#include "ferry/hl7/message.hpp"

using ferry::hl7::Message;
using ferry::hl7::ParseError;

namespace {

std::string msg(const std::string& msh18, const std::string& pid5) {
  return "MSH|^~\\&|A|B|C|D|20260101||ADT^A01|1|P|2.5||||||" + msh18 + "\rPID|1||X||" + pid5 + "\r";
}

std::string error_text(const std::string& bytes) {
  try {
    Message::parse(bytes);
  } catch (const ParseError& e) {
    return e.what();
  }
  return "(parsed)";
}

}  // namespace

TEST_CASE("UTF-8 messages read as UTF-8 and serialize unchanged") {
  for (const std::string& name : std::vector<std::string>{"UNICODE UTF-8", "UTF-8", "unicode utf-8"}) {
    const std::string text = msg(name, "M\xC3\xBCller^Zo\xC3\xAB^\xE6\x9D\x8E^\xF0\x9F\x98\x80");
    const auto m = Message::parse(text);
    CHECK(m.get("PID-5.1") == "M\xC3\xBCller");
    CHECK(m.get("PID-5.3") == "\xE6\x9D\x8E");
    CHECK(m.get("PID-5.4") == "\xF0\x9F\x98\x80");
    CHECK(m.serialize() == text);
  }
}

TEST_CASE("invalid UTF-8 is a ParseError with its offset") {
  const std::string text = msg("UNICODE UTF-8", "M\xFCller");
  try {
    Message::parse(text);
    FAIL("parsed");
  } catch (const ParseError& e) {
    CHECK(e.offset == text.find('\xFC'));
    CHECK(std::string(e.what()).find("not valid UTF-8") != std::string::npos);
  }
  // Overlong forms and surrogates are not UTF-8 either.
  CHECK(error_text(msg("UTF-8", "\xC0\xAF")).find("not valid") != std::string::npos);
  CHECK(error_text(msg("UTF-8", "\xED\xA0\x80")).find("not valid") != std::string::npos);
  CHECK(error_text(msg("UTF-8", "\xE6\x9D")).find("not valid") != std::string::npos);
}

TEST_CASE("ISO-8859-1 messages are converted to UTF-8 and back") {
  for (const std::string& name : std::vector<std::string>{"8859/1", "ISO-8859-1"}) {
    const std::string text = msg(name, "M\xFCller^Jos\xE9^\xA9\xFF");
    auto m = Message::parse(text);
    CHECK(m.get("PID-5.1") == "M\xC3\xBCller");
    CHECK(m.get("PID-5.2") == "Jos\xC3\xA9");
    CHECK(m.get("PID-5.3") == "\xC2\xA9\xC3\xBF");
    CHECK(m.segment_text(1).find("M\xC3\xBCller") != std::string::npos);
    CHECK(m.serialize() == text);
    // Written back in ISO-8859-1.
    m.set("PID-5.2", "Andr\xC3\xA9");
    CHECK(m.serialize() == msg(name, "M\xFCller^Andr\xE9^\xA9\xFF"));
    // Characters ISO-8859-1 has no byte for are refused.
    CHECK_THROWS_AS(m.set("PID-5.2", "\xE2\x82\xAC"), std::invalid_argument);
    CHECK_THROWS_AS(m.insert_segment("NTE|1||\xE2\x82\xAC"), std::invalid_argument);
    CHECK(m.get("PID-5.2") == "Andr\xC3\xA9");
  }
}

TEST_CASE("an empty or ASCII MSH-18 reads ASCII and UTF-8") {
  CHECK(Message::parse(msg("", "Smith")).get("PID-5") == "Smith");
  CHECK(Message::parse(msg("ASCII", "Smith")).get("PID-5") == "Smith");
  const std::string utf8 = msg("", "M\xC3\xBCller");
  CHECK(Message::parse(utf8).get("PID-5") == "M\xC3\xBCller");
  CHECK(Message::parse(utf8).serialize() == utf8);
  CHECK(error_text(msg("", "M\xFCller")).find("not valid ASCII") != std::string::npos);
}

TEST_CASE("unsupported character sets are a ParseError naming them") {
  CHECK(error_text(msg("UNICODE UTF-16", "x")).find("\"UNICODE UTF-16\" is not supported") != std::string::npos);
  CHECK(error_text(msg("8859/2", "x")).find("\"8859/2\"") != std::string::npos);
  CHECK(error_text(msg("ISO IR87", "x")).find("ISO IR87") != std::string::npos);
  CHECK(error_text(msg("ASCII~ISO IR87", "x")).find("switching") != std::string::npos);
  // An empty second repetition switches nothing.
  CHECK_NOTHROW(Message::parse(msg("UNICODE UTF-8~", "x")));
}

TEST_CASE("MSH-18 is compared decoded") {
  // '/' is the truncation character here, so "8859/1" and "8859\P\1" name
  // the same charset (a JSON round trip writes the second).
  const std::string text = "MSH|^~\\&/|A|B|C|D|20260101||ADT^A01|1|P|2.7||||||8859/1\rNTE|1||\xE9\r";
  const auto m = Message::parse(text);
  CHECK(m.get("NTE-3") == "\xC3\xA9");
  const auto back = Message::from_json(m.to_json());
  CHECK(back.get("MSH-18") == "8859/1");
  CHECK(back.serialize() == "MSH|^~\\&/|A|B|C|D|20260101||ADT^A01|1|P|2.7||||||8859\\P\\1\rNTE|1||\xE9\r");
  CHECK(Message::parse(msg("UNICODE\\X20\\UTF-8", "\xC3\xA9")).get("PID-5") == "\xC3\xA9");
}

TEST_CASE("hex escapes follow the message charset") {
  CHECK(Message::parse(msg("8859/1", "\\XE9\\")).get("PID-5") == "\xC3\xA9");
  CHECK(Message::parse(msg("UNICODE UTF-8", "\\XC3A9\\")).get("PID-5") == "\xC3\xA9");
  CHECK(Message::parse(msg("UNICODE UTF-8", "\\XE9\\")).get("PID-5") == "\\XE9\\");
}

TEST_CASE("changing MSH-18 changes the output charset") {
  auto m = Message::parse(msg("UNICODE UTF-8", "Jos\xC3\xA9"));
  m.set("MSH-18", "8859/1");
  CHECK(m.serialize() == msg("8859/1", "Jos\xE9"));
  m.set("MSH-18", "UNICODE UTF-8");
  CHECK(m.serialize() == msg("UNICODE UTF-8", "Jos\xC3\xA9"));
  // A charset that cannot hold the message, or an unknown one, is refused
  // and the message stays as it was.
  m.set("PID-5", "\xE2\x82\xAC");
  CHECK_THROWS_AS(m.set("MSH-18", "8859/1"), std::invalid_argument);
  CHECK_THROWS_AS(m.set("MSH-18", "EBCDIC"), std::invalid_argument);
  CHECK(m.get("MSH-18") == "UNICODE UTF-8");
  CHECK(m.get("PID-5") == "\xE2\x82\xAC");
}

TEST_CASE("set refuses values that are not UTF-8") {
  auto m = Message::parse(msg("UNICODE UTF-8", "x"));
  CHECK_THROWS_AS(m.set("PID-5", "\xFF"), std::invalid_argument);
  CHECK_THROWS_AS(m.insert_segment("NTE|\xC3"), std::invalid_argument);
}

TEST_CASE("charset helpers") {
  using namespace ferry::hl7::detail;
  CHECK(invalid_utf8_at("abc") == std::string_view::npos);
  CHECK(invalid_utf8_at("ab\x80") == 2);
  CHECK(invalid_utf8_at("\xF4\x90\x80\x80") == 0);  // past U+10FFFF
  // The ASCII fast path (eight bytes at a time) must not skip a bad byte or
  // a sequence that starts or ends anywhere in or across its words.
  for (size_t at = 0; at < 40; ++at) {
    std::string text(40, 'x');
    text[at] = '\xFF';
    CHECK(invalid_utf8_at(text) == at);
    std::string euro(40, 'x');
    euro.replace(at, 3, "\xE2\x82\xAC");
    euro.resize(40);
    CHECK(invalid_utf8_at(euro) == (at + 3 <= 40 ? std::string_view::npos : at));
  }
  CHECK(to_utf8("\xE9", Charset::latin1) == "\xC3\xA9");
  CHECK(from_utf8("\xC3\xA9", Charset::latin1) == std::string("\xE9"));
  CHECK(from_utf8("\xE2\x82\xAC", Charset::latin1) == std::nullopt);
  CHECK(from_utf8_lossy("a\xE2\x82\xAC\xFF", Charset::latin1) == "a??");
  CHECK(sanitize_utf8("a\xFF\xC3\xA9") == "a?\xC3\xA9");
}
