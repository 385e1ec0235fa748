// Message::parse: delimiters, segment separators, lossless serialization,
// structural errors and limits.
#include <catch2/catch.hpp>

#include <vector>

#include <random>

#include "ferry/hl7/message.hpp"

using ferry::hl7::Limits;
using ferry::hl7::Message;
using ferry::hl7::ParseError;

namespace {

const std::string kAdt =
    "MSH|^~\\&|LAB|HOSP|EHR|CLINIC|20261126120000||ADT^A01^ADT_A01|MSG0001|P|2.5\r"
    "EVN|A01|20261126120000\r"
    "PID|1||12345^^^HOSP^MR~67890^^^STATE^SS||Smith^John^Q||19800101|M\r"
    "PV1|1|I|W^389^1\r";

// The ParseError `bytes` gives, with its text and offset.
ParseError parse_error(std::string_view bytes, const Limits& limits = {}) {
  try {
    Message::parse(bytes, limits);
  } catch (const ParseError& e) {
    return e;
  }
  FAIL("parsed, expected a ParseError: " << bytes);
  return ParseError("", 0);
}

}  // namespace

TEST_CASE("a message parses into its segments") {
  const auto m = Message::parse(kAdt);
  REQUIRE(m.segment_count() == 4);
  CHECK(m.segment_name(0) == "MSH");
  CHECK(m.segment_name(3) == "PV1");
  CHECK(m.segment_text(1) == "EVN|A01|20261126120000");
  CHECK(m.control_id() == "MSG0001");
  CHECK(m.message_type() == "ADT^A01");
  CHECK(m.version() == "2.5");
  CHECK_THROWS_AS(m.segment_text(4), std::out_of_range);
  CHECK_THROWS_AS(m.segment_name(99), std::out_of_range);
}

TEST_CASE("the MSH shortcuts cope with missing fields") {
  const auto bare = Message::parse("MSH|^~\\&");
  CHECK(bare.control_id().empty());
  CHECK(bare.message_type().empty());
  CHECK(bare.version().empty());
  const auto no_trigger = Message::parse("MSH|^~\\&|A|B|C|D|20260101||ADT|7|P|2.5.1^INT");
  CHECK(no_trigger.message_type() == "ADT");
  CHECK(no_trigger.version() == "2.5.1");
}

TEST_CASE("MSH field numbering follows the standard") {
  const auto m = Message::parse(kAdt);
  CHECK(m.get("MSH-1") == "|");
  CHECK(m.get("MSH-2") == "^~\\&");
  CHECK(m.get("MSH-3") == "LAB");
  CHECK(m.get("MSH-4") == "HOSP");
  CHECK(m.get("MSH-5") == "EHR");
  CHECK(m.get("MSH-9.2") == "A01");
  CHECK(m.get("MSH-9.3") == "ADT_A01");
  CHECK(m.get("MSH-12") == "2.5");
  CHECK(m.get("MSH-13") == std::nullopt);
}

TEST_CASE("the default delimiters are read from MSH-1 and MSH-2") {
  const auto m = Message::parse(kAdt);
  const auto& d = m.delimiters();
  CHECK(d.field == '|');
  CHECK(d.component == '^');
  CHECK(d.repetition == '~');
  CHECK(d.escape == '\\');
  CHECK(d.subcomponent == '&');
  CHECK(d.truncation == 0);
}

TEST_CASE("alternate delimiters are read from MSH-1 and MSH-2") {
  const std::string text =
      "MSH#@$!%#LAB#HOSP#EHR#CLINIC#20261126##ORU@R01#42#P#2.5\r"
      "PID#1##A1@@@H$B2@@@S##Doe@Jane%X\r";
  const auto m = Message::parse(text);
  const auto& d = m.delimiters();
  CHECK(d.field == '#');
  CHECK(d.component == '@');
  CHECK(d.repetition == '$');
  CHECK(d.escape == '!');
  CHECK(d.subcomponent == '%');
  CHECK(m.get("MSH-1") == "#");
  CHECK(m.get("MSH-2") == "@$!%");
  CHECK(m.get("MSH-3") == "LAB");
  CHECK(m.message_type() == "ORU^R01");
  CHECK(m.get("PID-3[2].1") == "B2");
  CHECK(m.get("PID-3[2].4") == "S");
  CHECK(m.get("PID-5.2.1") == "Jane");
  CHECK(m.get("PID-5.2.2") == "X");
  CHECK(m.serialize() == text);
}

TEST_CASE("the v2.7 truncation character is the fifth MSH-2 character") {
  const auto m = Message::parse("MSH|^~\\&#|A|B|C|D|20260101||ADT^A01|1|P|2.7\rPID|1||X\\P\\Y\r");
  CHECK(m.delimiters().truncation == '#');
  CHECK(m.get("MSH-2") == "^~\\&#");
  CHECK(m.get("MSH-3") == "A");
  CHECK(m.get("PID-3") == "X#Y");
}

TEST_CASE("segment separators CR LF and CRLF all parse") {
  for (const std::string& sep : std::vector<std::string>{"\r", "\n", "\r\n"}) {
    const std::string text = "MSH|^~\\&|A|B|C|D|20260101||ADT^A01|1|P|2.5" + sep + "PID|1||X" + sep + "PV1|1|I" + sep;
    const auto m = Message::parse(text);
    CHECK(m.segment_count() == 3);
    CHECK(m.get("PV1-2") == "I");
    CHECK(m.serialize() == text);
  }
}

TEST_CASE("unmodified messages serialize byte-identical") {
  const std::string msh = "MSH|^~\\&|A|B|C|D|20260101||ADT^A01|1|P|2.5";
  for (const std::string& text : std::vector<std::string>{
           msh,                                              // one segment, no terminator
           msh + "\r",                                       //
           msh + "\rPID|1",                                  // no trailing separator
           msh + "\rPID|1\r",                                //
           msh + "\nPID|1\n",                                //
           msh + "\r\nPID|1\r\n",                            //
           msh + "\r\nPID|1\nPV1|1\r",                       // mixed styles
           msh + "\r\rPID|1\r\r\r",                          // blank lines
           msh + "\r\n\r\nPID|1\r\n\r\n",                    //
           "\r\n" + msh + "\rPID|1\r",                       // leading line breaks
           "\xEF\xBB\xBF" + msh + "\rPID|1\r",               // UTF-8 byte order mark
           msh + "\rPID|1||a^b&c~d||\"\"|^^|~~|\\.br\\\r",   // empty and null values, formatting
           msh + "\rZZ1|\\X0D\\|\\E\\|\\Zabc\\|a\\b|\\\\\r", // escapes in any form
           msh + "\rNTE|1||text with  spaces  \r",           // trailing spaces in a value
       }) {
    CAPTURE(text);
    CHECK(Message::parse(text).serialize() == text);
  }
}

TEST_CASE("HL7 nulls and empty values stay distinct") {
  const auto m = Message::parse("MSH|^~\\&|A|B|C|D|20260101||ADT^A01|1|P|2.5\rPID|1|\"\"||a^\"\"^\r");
  CHECK(m.get("PID-2") == "\"\"");
  CHECK(m.get("PID-3") == "");
  CHECK(m.get("PID-4.2") == "\"\"");
  CHECK(m.get("PID-4.3") == "");
  CHECK(m.get("PID-5") == std::nullopt);
}

TEST_CASE("Z-segments are ordinary segments") {
  const auto m = Message::parse("MSH|^~\\&|A|B|C|D|20260101||ADT^A01|1|P|2.5\rZPD|1|custom^value\rZ01|x\r");
  CHECK(m.segment_name(1) == "ZPD");
  CHECK(m.get("ZPD-2.2") == "value");
  CHECK(m.get("Z01-1") == "x");
}

TEST_CASE("input that is not a message is a ParseError") {
  CHECK(std::string(parse_error("").what()).find("empty") != std::string::npos);
  CHECK(std::string(parse_error("\r\n\r\n").what()).find("empty") != std::string::npos);
  const auto not_msh = parse_error("PID|1\r");
  CHECK(not_msh.offset == 0);
  CHECK(std::string(not_msh.what()).find("starts with MSH") != std::string::npos);
  CHECK(parse_error("\r\nEVN|1").offset == 2);
  CHECK(std::string(parse_error("MSH").what()).find("MSH-1") != std::string::npos);
  CHECK(std::string(parse_error("MSH|^~\\|A").what()).find("MSH-2") != std::string::npos);
  CHECK(std::string(parse_error("MSH|^~\\&#!|A").what()).find("MSH-2") != std::string::npos);
  CHECK(std::string(parse_error("MSH|^~^&|A").what()).find("same character") != std::string::npos);
  CHECK(std::string(parse_error("MSH|^~\\A|A").what()).find("not usable") != std::string::npos);
  CHECK(std::string(parse_error(std::string("MSH|^~\\&\0|A", 11)).what()).find("truncation") != std::string::npos);
  CHECK(std::string(parse_error("MSH ^~\\& A").what()).find("not usable") != std::string::npos);
}

TEST_CASE("bad segments are a ParseError with their offset") {
  const std::string msh = "MSH|^~\\&|A|B|C|D|20260101||ADT^A01|1|P|2.5\r";
  auto e = parse_error(msh + "PID|1\rpv1|2\r");
  CHECK(e.offset == msh.size() + 6);
  CHECK(std::string(e.what()).find("segment 3") != std::string::npos);
  CHECK(std::string(e.what()).find("not a segment name") != std::string::npos);
  e = parse_error(msh + "PIDX|1\r");
  CHECK(std::string(e.what()).find("not followed by the field separator") != std::string::npos);
  e = parse_error(msh + "P1\r");
  CHECK(std::string(e.what()).find("not a segment name") != std::string::npos);
  e = parse_error(msh + "PID|1\r" + msh);
  CHECK(std::string(e.what()).find("split_messages") != std::string::npos);
  CHECK(e.offset == msh.size() + 6);
  e = parse_error(msh + "BTS|1\r");
  CHECK(std::string(e.what()).find("split_messages") != std::string::npos);
}

TEST_CASE("limits give a ParseError naming the limit") {
  const std::string msh = "MSH|^~\\&|A|B|C|D|20260101||ADT^A01|1|P|2.5\r";
  const auto text_of = [](const ParseError& e) { return std::string(e.what()); };

  Limits l;
  l.max_message_bytes = 20;
  CHECK(text_of(parse_error(msh, l)).find("max_message_bytes") != std::string::npos);

  l = {};
  l.max_segments = 2;
  CHECK_NOTHROW(Message::parse(msh + "PID|1\r", l));
  auto e = parse_error(msh + "PID|1\rPV1|1\r", l);
  CHECK(text_of(e).find("max_segments") != std::string::npos);
  CHECK(e.offset == msh.size() + 6);

  l = {};
  l.max_fields_per_segment = 3;
  CHECK_NOTHROW(Message::parse("MSH|^~\\&|A\rPID|1|2|3\r", l));
  CHECK(text_of(parse_error("MSH|^~\\&|A\rPID|1|2|3|4\r", l)).find("max_fields_per_segment") != std::string::npos);
  CHECK(text_of(parse_error("MSH|^~\\&|A|B\r", l)).find("max_fields_per_segment") != std::string::npos);

  l = {};
  l.max_repetitions = 2;
  CHECK_NOTHROW(Message::parse(msh + "PID|a~b\r", l));
  CHECK(text_of(parse_error(msh + "PID|a~b~c\r", l)).find("max_repetitions") != std::string::npos);

  l = {};
  l.max_components = 2;
  CHECK_NOTHROW(Message::parse(msh + "PID|a^b~c^d|x&y\r", l));
  CHECK(text_of(parse_error(msh + "PID|a^b^c\r", l)).find("max_components") != std::string::npos);
  CHECK(text_of(parse_error(msh + "PID|a&b&c\r", l)).find("subcomponents") != std::string::npos);
}

TEST_CASE("limits are the documented defaults") {
  const Limits l;
  CHECK(l.max_message_bytes == 16u * 1024 * 1024);
  CHECK(l.max_segments == 100000);
  CHECK(l.max_fields_per_segment == 1000);
  CHECK(l.max_repetitions == 1000);
  CHECK(l.max_components == 1000);
}

TEST_CASE("every prefix of a message parses or throws ParseError") {
  const std::string text = "\xEF\xBB\xBF" + kAdt + "ZZZ|\\X41\\|\\.br\\|\\\r";
  for (size_t n = 0; n <= text.size(); ++n) {
    try {
      const auto m = Message::parse(text.substr(0, n));
      CHECK(m.serialize() == text.substr(0, n));
    } catch (const ParseError&) {
    }
  }
}

TEST_CASE("random bytes never crash the parser") {
  std::mt19937 rng(1234);
  const std::string alphabet = "MSH|^~\\&#\r\nPIDX01\"\xC3\xA9\xFF ";
  for (int round = 0; round < 3000; ++round) {
    std::string text = round % 2 ? "MSH|^~\\&|" : "";
    const size_t len = rng() % 80;
    for (size_t i = 0; i < len; ++i) text += alphabet[rng() % alphabet.size()];
    try {
      const auto m = Message::parse(text);
      CHECK(m.serialize() == text);
      (void)m.to_json();
    } catch (const ParseError&) {
    }
  }
}
