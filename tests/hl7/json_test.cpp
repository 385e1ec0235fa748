// The JSON form (docs/hl7-json.md) and round trips through it.
#include <catch2/catch.hpp>

#include <vector>

#include "ferry/hl7/message.hpp"

using ferry::hl7::Message;
using nlohmann::json;

namespace {

const std::string kMsh = "MSH|^~\\&|LAB|HOSP|EHR|CLINIC|20261126120000||ADT^A01|MSG1|P|2.5";

std::string round_trip(const std::string& text) {
  return Message::from_json(Message::parse(text).to_json()).serialize();
}

}  // namespace

TEST_CASE("to_json gives the documented form") {
  const auto m = Message::parse(kMsh + "\rPID|1||1^^^H~2&x||O\\T\\Brien^\"\"||\r");
  const json expected = R"({
    "delimiters": {"field": "|", "component": "^", "repetition": "~", "escape": "\\", "subcomponent": "&"},
    "segment_separator": "\r",
    "trailing_separator": true,
    "segments": [
      {"name": "MSH", "fields": ["|", "^~\\&", "LAB", "HOSP", "EHR", "CLINIC", "20261126120000", "",
                                  [["ADT", "A01"]], "MSG1", "P", "2.5"]},
      {"name": "PID", "fields": ["1", "", [["1", "", "", "H"], [["2", "x"]]], "", [["O&Brien", "\"\""]], "", ""]}
    ]
  })"_json;
  CHECK(m.to_json() == expected);
}

TEST_CASE("to_json marks the truncation character and the separator style") {
  const auto j = Message::parse("MSH|^~\\&#|A\nPID|1").to_json();
  CHECK(j["delimiters"]["truncation"] == "#");
  CHECK(j["segment_separator"] == "\n");
  CHECK(j["trailing_separator"] == false);
}

TEST_CASE("canonical messages round-trip through JSON byte-identical") {
  for (const std::string& text : std::vector<std::string>{
           kMsh + "\rPID|1||1^^^H~2&x||O\\T\\Brien^\"\"||\r",
           kMsh + "\nEVN|A01\nPID|1\n",
           kMsh + "\r\nPID|1\r\nZZ1|a~b~|^^|&&\r\n",
           kMsh + "\rPID|1",
           kMsh,
           "MSH#@$!%#LAB#HOSP#EHR#CLINIC#20261126##ORU@R01#42#P#2.5\rPID#1##A1@@@H$B2@@@S##Doe@Jane%X!F!!E!\r",
           "MSH|^~\\&#|A|B|C|D|20260101||ADT^A01|1|P|2.7\rPID|1||Apt \\P\\5\r",
           kMsh + "||||||8859/1\rPID|1||||M\xFCller^Jos\xE9\r",
           kMsh + "||||||UNICODE UTF-8\rPID|1||||M\xC3\xBCller^\xE6\x9D\x8E\r",
           kMsh + "\rNTE|1||line1\\X0D\\\\X0A\\line2\\.br\\\\H\\b\\N\\|\\Zx1\\\r",
           kMsh + "\rPID|1||\\E\\\\F\\\\S\\\\T\\\\R\\\r",
       }) {
    CAPTURE(text);
    CHECK(round_trip(text) == text);
  }
}

TEST_CASE("JSON round trips normalise non-canonical input") {
  // Documented in docs/hl7-json.md: what is the same message, written
  // differently, comes back in one way.
  CHECK(round_trip(kMsh + "\rPID|\\X41\\\r") == kMsh + "\rPID|A\r");
  CHECK(round_trip(kMsh + "\rPID|a\\b\r") == kMsh + "\rPID|a\\E\\b\r");
  CHECK(round_trip(kMsh + "\rPID|\\X0D0A\\\r") == kMsh + "\rPID|\\X0D\\\\X0A\\\r");
  CHECK(round_trip(kMsh + "\r\n\r\nPID|1\r\n") == kMsh + "\r\nPID|1\r\n");
  CHECK(round_trip(kMsh + "\rPID|1\nPV1|1\r") == kMsh + "\rPID|1\rPV1|1\r");
  CHECK(round_trip("\xEF\xBB\xBF" + kMsh + "\r") == kMsh + "\r");
  CHECK(round_trip("MSH|^~\\&#|A|B|C|D|20260101||ADT^A01|1|P|2.7\rPID|1||trunc#\r") ==
        "MSH|^~\\&#|A|B|C|D|20260101||ADT^A01|1|P|2.7\rPID|1||trunc\\P\\\r");
}

TEST_CASE("JSON round trips keep values for any parsed message") {
  for (const std::string& text : std::vector<std::string>{kMsh + "\rPID|\\X41\\|a\\b|\\Zbad!\\|\\\\\r", kMsh + "\n\n\rPID|1"}) {
    const auto j = Message::parse(text).to_json();
    CHECK(Message::from_json(j).to_json() == j);
  }
}

TEST_CASE("from_json accepts hand-written JSON with defaults") {
  const json j = R"({
    "segments": [
      {"name": "MSH", "fields": ["|", "^~\\&", "FERRY", "", "", "", "20260101", "", [["ADT", "A08"]], "X1", "P", "2.5"]},
      {"name": "PID", "fields": ["1", "", [["123", "", "", ["H", "1.2", "ISO"]]], "", "Smith|Jr"]},
      {"name": "ZPD"}
    ]
  })"_json;
  const auto m = Message::from_json(j);
  CHECK(m.serialize() ==
        "MSH|^~\\&|FERRY||||20260101||ADT^A08|X1|P|2.5\rPID|1||123^^^H&1.2&ISO||Smith\\F\\Jr\rZPD\r");
  CHECK(m.get("PID-3.4.2") == "1.2");
  CHECK(m.get("PID-5") == "Smith|Jr");

  // Without MSH-1/MSH-2 the delimiters object (or the defaults) decide.
  const json alt = R"({"delimiters": {"field": "#", "component": "@", "repetition": "$", "escape": "!",
                                      "subcomponent": "%"},
                       "segment_separator": "\n", "trailing_separator": false,
                       "segments": [{"name": "MSH", "fields": []}, {"name": "PID", "fields": ["a#b", ["1", "2"]]}]})"_json;
  CHECK(Message::from_json(alt).serialize() == "MSH#@$!%\nPID#a!F!b#1$2");
  // Nested arrays of one element mean the same as the string.
  const json nested = R"({"segments": [{"name": "MSH", "fields": ["|", "^~\\&"]},
                                        {"name": "PID", "fields": [[["x"]], [[["y"]]]]}]})"_json;
  CHECK(Message::from_json(nested).serialize() == "MSH|^~\\&\rPID|x|y\r");
}

TEST_CASE("from_json reports where the JSON is wrong") {
  const auto error = [](const char* text) {
    try {
      Message::from_json(json::parse(text));
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("(accepted)");
  };
  CHECK_THAT(error("[]"), Catch::Contains("expected an object"));
  CHECK_THAT(error("{}"), Catch::Contains("/segments"));
  CHECK_THAT(error(R"({"segments": []})"), Catch::Contains("/segments"));
  CHECK_THAT(error(R"({"segments": [{"name": "PID"}]})"), Catch::Contains("/segments/0/name"));
  CHECK_THAT(error(R"({"segments": [{"name": "MSH"}, {"name": "MSH"}]})"), Catch::Contains("/segments/1/name"));
  CHECK_THAT(error(R"({"segments": [{"name": "MSH"}, {"name": "pid"}]})"), Catch::Contains("/segments/1/name"));
  CHECK_THAT(error(R"({"segments": [{"name": "MSH"}, {"name": "PID", "fields": [1]}]})"),
             Catch::Contains("/segments/1/fields/0"));
  CHECK_THAT(error(R"({"segments": [{"name": "MSH"}, {"name": "PID", "fields": ["", [[["a", ["b"]]]]]}]})"),
             Catch::Contains("/segments/1/fields/1/0/0/1") && Catch::Contains("subcomponent must be a string"));
  CHECK_THAT(error(R"({"segments": [{"name": "MSH"}, {"name": "PID", "fields": {}}]})"),
             Catch::Contains("/segments/1/fields"));
  CHECK_THAT(error(R"({"delimiters": {"field": "|"}, "segments": [{"name": "MSH", "fields": ["#", "^~\\&"]}]})"),
             Catch::Contains("/segments/0/fields/0"));
  CHECK_THAT(error(R"({"delimiters": {"field": "|"}, "segments": [{"name": "MSH", "fields": ["|", "@$!%"]}]})"),
             Catch::Contains("/segments/0/fields/1"));
  CHECK_THAT(error(R"({"delimiters": {"field": "||"}, "segments": [{"name": "MSH"}]})"),
             Catch::Contains("/delimiters/field"));
  CHECK_THAT(error(R"({"delimiters": {"component": "|"}, "segments": [{"name": "MSH"}]})"),
             Catch::Contains("same character"));
  CHECK_THAT(error(R"({"segment_separator": "\t", "segments": [{"name": "MSH"}]})"),
             Catch::Contains("/segment_separator"));
  CHECK_THAT(error(R"({"trailing_separator": 1, "segments": [{"name": "MSH"}]})"),
             Catch::Contains("/trailing_separator"));
  CHECK_THAT(error(R"({"segments": [{"name": "MSH", "fields": ["|", "^~\\&", "", "", "", "", "", "", "", "", "", "",
                                                               "", "", "", "", "", "UTF-16"]}]})"),
             Catch::Contains("UTF-16"));
  CHECK_THAT(error(R"({"segments": [{"name": "MSH", "fields": ["|", "^~\\&", "", "", "", "", "", "", "", "", "", "",
                                                               "", "", "", "", "", "8859/1"]},
                                    {"name": "NTE", "fields": ["\u20ac"]}]})"),
             Catch::Contains("ISO-8859-1"));
}

TEST_CASE("from_json applies the default limits") {
  json msh = json::object();
  msh["name"] = "MSH";
  json pid = json::object();
  pid["name"] = "PID";
  pid["fields"] = json::array();
  pid["fields"].push_back(json::array());
  for (int i = 0; i < 1001; ++i) pid["fields"][0].push_back("x");
  json j = json::object();
  j["segments"] = json::array();
  j["segments"].push_back(msh);
  j["segments"].push_back(pid);
  CHECK_THROWS_WITH(Message::from_json(j), Catch::Contains("more than 1000 repetitions"));
}
