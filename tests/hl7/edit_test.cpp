// Changing messages: set, clear, insert and remove segments; only changed
// segments are re-encoded.
#include <catch2/catch.hpp>

#include "ferry/hl7/message.hpp"

using ferry::hl7::Limits;
using ferry::hl7::Message;

namespace {

const std::string kMsh = "MSH|^~\\&|LAB|HOSP|EHR|CLINIC|20261126120000||ADT^A01|MSG1|P|2.5";

}  // namespace

TEST_CASE("set replaces existing values") {
  auto m = Message::parse(kMsh + "\rPID|1||123^^^H||Doe^Jane\r");
  m.set("MSH-10", "NEW1");
  m.set("PID-5.2", "Janet");
  m.set("PID-3", "999");  // a whole repetition: all its components go
  CHECK(m.serialize() == "MSH|^~\\&|LAB|HOSP|EHR|CLINIC|20261126120000||ADT^A01|NEW1|P|2.5\rPID|1||999||Doe^Janet\r");
  CHECK(m.control_id() == "NEW1");
}

TEST_CASE("set on a field path replaces its first repetition only") {
  auto m = Message::parse(kMsh + "\rPID|1||a^b~c^d\r");
  m.set("PID-3", "x");
  CHECK(m.segment_text(1) == "PID|1||x~c^d");
  m.set("PID-3[2]", "y^z");
  CHECK(m.segment_text(1) == "PID|1||x~y\\S\\z");
}

TEST_CASE("set creates fields repetitions components and subcomponents") {
  auto m = Message::parse(kMsh + "\rPID|1\r");
  m.set("PID-3[2].1.2", "x");
  CHECK(m.segment_text(1) == "PID|1||~&x");
  m.set("PID-5.3", "Q");
  CHECK(m.segment_text(1) == "PID|1||~&x||^^Q");
  m.set("PID-3[2].4", "H");
  CHECK(m.segment_text(1) == "PID|1||~&x^^^H||^^Q");
  CHECK(m.get("PID-3[2].1.2") == "x");
  m.set("MSH-21[3]", "PROFILE");
  CHECK(m.segment_text(0) == kMsh + "|||||||||~~PROFILE");
}

TEST_CASE("set creates missing segments at the end") {
  auto m = Message::parse(kMsh + "\rPID|1\r");
  m.set("ZPD-2", "custom");
  m.set("OBX[2]-5", "b");
  CHECK(m.serialize() == kMsh + "\rPID|1\rZPD||custom\rOBX\rOBX|||||b\r");
  CHECK(m.get("OBX[2]-5") == "b");
  CHECK(m.get("OBX[1]-5") == std::nullopt);
  CHECK_THROWS_AS(m.set("MSH[2]-3", "x"), std::invalid_argument);
  CHECK_THROWS_AS(m.set("BHS-3", "x"), std::invalid_argument);
}

TEST_CASE("set writes HL7 nulls and empty values") {
  auto m = Message::parse(kMsh + "\rPID|1|x|y\r");
  m.set("PID-2", "\"\"");
  m.set("PID-3", "");
  CHECK(m.segment_text(1) == "PID|1|\"\"|");
  CHECK(m.get("PID-2") == "\"\"");
  CHECK(m.get("PID-3") == "");
}

TEST_CASE("MSH-1 and MSH-2 cannot be set or cleared") {
  auto m = Message::parse(kMsh + "\r");
  CHECK_THROWS_AS(m.set("MSH-1", "#"), std::invalid_argument);
  CHECK_THROWS_AS(m.set("MSH-2", "@$!%"), std::invalid_argument);
  CHECK_THROWS_AS(m.clear("MSH-2"), std::invalid_argument);
  CHECK_THROWS_AS(m.set("PID", "PID|1"), std::invalid_argument);
  CHECK(m.serialize() == kMsh + "\r");
}

TEST_CASE("set respects the limits") {
  Limits l;
  l.max_fields_per_segment = 12;  // the MSH has 12
  l.max_repetitions = 3;
  l.max_components = 4;
  l.max_segments = 3;
  l.max_message_bytes = 200;
  auto m = Message::parse(kMsh + "\rPID|1\r", l);
  CHECK_THROWS_WITH(m.set("PID-13", "x"), Catch::Contains("max_fields_per_segment"));
  CHECK_THROWS_WITH(m.set("PID-3[4]", "x"), Catch::Contains("max_repetitions"));
  CHECK_THROWS_WITH(m.set("PID-3.5", "x"), Catch::Contains("max_components"));
  CHECK_THROWS_WITH(m.set("PID-3.1.5", "x"), Catch::Contains("max_components"));
  CHECK_THROWS_WITH(m.set("NTE[2]-1", "x"), Catch::Contains("max_segments"));
  CHECK_THROWS_WITH(m.set("PID-2", std::string(200, 'x')), Catch::Contains("max_message_bytes"));
  CHECK_THROWS_WITH(m.insert_segment("NTE|" + std::string(200, 'x')), Catch::Contains("max_message_bytes"));
  CHECK(m.serialize() == kMsh + "\rPID|1\r");  // failed changes change nothing
  m.set("PID-12", "ok");
  m.set("NTE-1", "ok");
  CHECK_THROWS_WITH(m.insert_segment("NTE|2"), Catch::Contains("max_segments"));
}

TEST_CASE("clear removes a value and the empty delimiters it leaves") {
  auto m = Message::parse(kMsh + "\rPID|1||a~b||Doe^Jane^Q|x\r");
  m.clear("PID-5.3");
  CHECK(m.segment_text(1) == "PID|1||a~b||Doe^Jane|x");
  m.clear("PID-3[1]");  // repetition 1 stays in place, empty
  CHECK(m.segment_text(1) == "PID|1||~b||Doe^Jane|x");
  m.clear("PID-6");
  CHECK(m.segment_text(1) == "PID|1||~b||Doe^Jane");
  m.clear("PID-5");
  CHECK(m.segment_text(1) == "PID|1||~b");
  m.clear("PID-3[2]");
  CHECK(m.segment_text(1) == "PID|1");
  m.clear("PID-7");  // absent: nothing to do, nothing created
  m.clear("NTE-1");
  CHECK(m.serialize() == kMsh + "\rPID|1\r");
  m.clear("PID");
  CHECK(m.segment_text(1) == "PID");
  m.clear("MSH");
  CHECK(m.segment_text(0) == "MSH|^~\\&");
}

TEST_CASE("insert_segment and remove_segment") {
  auto m = Message::parse(kMsh + "\rPID|1\rPV1|1\r");
  m.insert_segment("NTE|1||note");
  m.insert_segment("EVN|A01", 1);
  CHECK(m.serialize() == kMsh + "\rEVN|A01\rPID|1\rPV1|1\rNTE|1||note\r");
  m.remove_segment(2);
  CHECK(m.serialize() == kMsh + "\rEVN|A01\rPV1|1\rNTE|1||note\r");
  CHECK_THROWS_AS(m.remove_segment(0), std::invalid_argument);
  CHECK_THROWS_AS(m.remove_segment(4), std::out_of_range);
  CHECK_THROWS_AS(m.insert_segment("NTE|1", 0), std::invalid_argument);
  CHECK_THROWS_AS(m.insert_segment("NTE|1", 5), std::out_of_range);
  CHECK_THROWS_AS(m.insert_segment("nte|1"), std::invalid_argument);
  CHECK_THROWS_AS(m.insert_segment("NTE|1\rPID|2"), std::invalid_argument);
  CHECK_THROWS_AS(m.insert_segment("MSH|^~\\&|X"), std::invalid_argument);
  CHECK_THROWS_AS(m.insert_segment(""), std::invalid_argument);
  CHECK(m.segment_count() == 4);
}

TEST_CASE("only changed segments are re-encoded and separators keep their style") {
  // Odd but valid encodings elsewhere in the message survive a change.
  const std::string text = kMsh + "\r\nPID|1||\\X41\\||Doe\r\nNTE|1||a\\.br\\b\r\n";
  auto m = Message::parse(text);
  m.set("PID-5", "Roe");
  CHECK(m.serialize() == kMsh + "\r\nPID|1||\\X41\\||Roe\r\nNTE|1||a\\.br\\b\r\n");
  m.insert_segment("ZZZ|1");
  CHECK(m.serialize() == kMsh + "\r\nPID|1||\\X41\\||Roe\r\nNTE|1||a\\.br\\b\r\nZZZ|1\r\n");
}

TEST_CASE("a message without a trailing separator keeps that when changed") {
  auto m = Message::parse(kMsh + "\nPID|1");
  m.set("PID-2", "x");
  CHECK(m.serialize() == kMsh + "\nPID|1|x");
  m.insert_segment("PV1|1");
  CHECK(m.serialize() == kMsh + "\nPID|1|x\nPV1|1");
  m.remove_segment(2);
  CHECK(m.serialize() == kMsh + "\nPID|1|x");
  auto single = Message::parse(kMsh);
  single.insert_segment("PID|1");
  CHECK(single.serialize() == kMsh + "\rPID|1");
}

TEST_CASE("messages copy and move") {
  auto a = Message::parse(kMsh + "\rPID|1\r");
  Message b = a;
  b.set("PID-1", "2");
  CHECK(a.get("PID-1") == "1");
  CHECK(b.get("PID-1") == "2");
  Message c = std::move(b);
  CHECK(c.get("PID-1") == "2");
  a = c;
  CHECK(a.get("PID-1") == "2");
  Message d = Message::parse(kMsh);
  d = std::move(a);
  CHECK(d.get("PID-1") == "2");
  CHECK_THROWS_AS(b.serialize(), std::logic_error);  // NOLINT(bugprone-use-after-move): the documented guard
}
