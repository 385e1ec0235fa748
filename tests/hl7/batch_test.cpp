// split_messages: batch files and concatenated messages.
#include <catch2/catch.hpp>

#include "ferry/hl7/message.hpp"

using ferry::hl7::Message;
using ferry::hl7::ParseError;
using ferry::hl7::split_messages;

namespace {

const std::string kMsg1 = "MSH|^~\\&|A|B|C|D|20260101||ADT^A01|1|P|2.5\rPID|1||X\r";
const std::string kMsg2 = "MSH|^~\\&|A|B|C|D|20260101||ADT^A08|2|P|2.5\rPID|1||Y\rPV1|1|I\r";

}  // namespace

TEST_CASE("a batch file splits into its messages") {
  const std::string batch = "FHS|^~\\&|A|B|C|D|20260101\rBHS|^~\\&|A|B|C|D|20260101\r" + kMsg1 + kMsg2 +
                            "BTS|2\rFTS|1\r";
  const auto messages = split_messages(batch);
  REQUIRE(messages.size() == 2);
  CHECK(messages[0] == kMsg1);
  CHECK(messages[1] == kMsg2);
  CHECK(Message::parse(messages[1]).control_id() == "2");
}

TEST_CASE("several batches in one file split into all their messages") {
  const std::string file = "FHS|^~\\&\rBHS|^~\\&\r" + kMsg1 + "BTS|1\rBHS|^~\\&\r" + kMsg2 + kMsg1 + "BTS|2\rFTS|2\r";
  CHECK(split_messages(file) == std::vector<std::string>{kMsg1, kMsg2, kMsg1});
}

TEST_CASE("concatenated messages split at each MSH") {
  CHECK(split_messages(kMsg1 + kMsg2) == std::vector<std::string>{kMsg1, kMsg2});
  CHECK(split_messages(kMsg1) == std::vector<std::string>{kMsg1});
}

TEST_CASE("split keeps each segment's line break style and drops blank lines") {
  const std::string lf = "MSH|^~\\&|A\nPID|1\n\n\nMSH|^~\\&|B\r\nPID|2\r\n\r\n  \r\nMSH|^~\\&|C\rPID|3";
  CHECK(split_messages(lf) ==
        std::vector<std::string>{"MSH|^~\\&|A\nPID|1\n", "MSH|^~\\&|B\r\nPID|2\r\n", "MSH|^~\\&|C\rPID|3"});
  CHECK(split_messages("\xEF\xBB\xBF" + kMsg1) == std::vector<std::string>{kMsg1});
}

TEST_CASE("split finds messages whose delimiters differ from the batch") {
  const std::string text = "BHS|^~\\&\rMSH#@$!%#A\rPID#1\rBTS|1\r";
  CHECK(split_messages(text) == std::vector<std::string>{"MSH#@$!%#A\rPID#1\r"});
}

TEST_CASE("split without any MSH is a ParseError") {
  CHECK_THROWS_AS(split_messages(""), ParseError);
  CHECK_THROWS_AS(split_messages("\r\n"), ParseError);
  CHECK_THROWS_AS(split_messages("FHS|^~\\&\rBHS|^~\\&\rBTS|0\rFTS|0\r"), ParseError);
  CHECK_THROWS_WITH(split_messages("hello"), Catch::Contains("outside any message"));
}

TEST_CASE("segments outside any message are a ParseError with their offset") {
  try {
    split_messages("BHS|^~\\&\rPID|1\r" + kMsg1);
    FAIL("split");
  } catch (const ParseError& e) {
    CHECK(e.offset == 9);
    CHECK_THAT(e.what(), Catch::Contains("\"PID\"") && Catch::Contains("outside any message"));
  }
  CHECK_THROWS_AS(split_messages(kMsg1 + "BTS|1\rNTE|1\r"), ParseError);
}
