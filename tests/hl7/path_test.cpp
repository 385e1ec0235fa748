// Paths: parsing, and reading values by path.
#include <catch2/catch.hpp>

#include "ferry/hl7/message.hpp"

using ferry::hl7::Message;
using ferry::hl7::Path;

namespace {

const std::string kOru =
    "MSH|^~\\&|LAB|HOSP|EHR|CLINIC|20261126120000||ORU^R01|MSG7|P|2.5.1\r"
    "PID|1||111^^^H^MR~222^^^S&1.2.3&ISO^SS||Doe^Jane^^^Dr.\r"
    "OBR|1|||CBC^Blood count\r"
    "OBX|1|NM|HGB||13.5|g/dL\r"
    "OBX|2|NM|WBC||6.1|10*3/uL\r"
    "OBX|3|ST|NOTE||O\\T\\Brien said \\F\\ok\\F\\|\r";

}  // namespace

TEST_CASE("paths parse into their parts") {
  auto p = Path::parse("PID-3[2].1.2");
  CHECK(p.segment == "PID");
  CHECK(p.occurrence == 1);
  CHECK(p.field == 3);
  CHECK(p.repetition == 2);
  CHECK(p.component == 1);
  CHECK(p.subcomponent == 2);

  p = Path::parse("OBX[3]-5");
  CHECK(p.segment == "OBX");
  CHECK(p.occurrence == 3);
  CHECK(p.field == 5);
  CHECK(p.repetition == 1);
  CHECK(p.component == 0);
  CHECK(p.subcomponent == 0);

  p = Path::parse("MSH-9.2");
  CHECK(p.field == 9);
  CHECK(p.component == 2);

  p = Path::parse("ZP1");
  CHECK(p.segment == "ZP1");
  CHECK(p.field == 0);

  p = Path::parse("NTE[12]");
  CHECK(p.occurrence == 12);
  CHECK(p.field == 0);
}

TEST_CASE("bad paths throw invalid_argument with the reason") {
  for (const char* bad : {"", "P", "PI", "pid-3", "1ID-3", "PID3", "PID-", "PID-0", "PID-x", "PID-3.", "PID-3.0",
                          "PID-3..1", "PID-3.1.2.3", "PID[0]-3", "PID[]-3", "PID[2-3", "PID-3[1", "PID-3[a]",
                          "PID-3 ", " PID-3", "PID-+3", "PID--3", "PID-1234567890", "PID-3[2][3]", "PIDX-3",
                          "PID.3", "PID-3.1-2"}) {
    CAPTURE(bad);
    CHECK_THROWS_AS(Path::parse(bad), std::invalid_argument);
  }
  CHECK_THROWS_WITH(Path::parse("PID-x"), Catch::Contains("expected a field number") && Catch::Contains("position 5"));
  CHECK_THROWS_WITH(Path::parse("PID-0"), Catch::Contains("1 or more"));
  CHECK_THROWS_WITH(Path::parse("pid"), Catch::Contains("segment name"));
}

TEST_CASE("get reads fields repetitions components and subcomponents") {
  const auto m = Message::parse(kOru);
  CHECK(m.get("PID-3") == "111^^^H^MR");  // a composite comes back encoded
  CHECK(m.get("PID-3[1].1") == "111");
  CHECK(m.get("PID-3[2].1") == "222");
  CHECK(m.get("PID-3[2].4") == "S&1.2.3&ISO");
  CHECK(m.get("PID-3[2].4.1") == "S");
  CHECK(m.get("PID-3[2].4.2") == "1.2.3");
  CHECK(m.get("PID-3[2].4.3") == "ISO");
  CHECK(m.get("PID-3[2].5") == "SS");
  CHECK(m.get("PID-5.2") == "Jane");
  CHECK(m.get("PID-5.5") == "Dr.");
  CHECK(m.get("PID-5.1.1") == "Doe");  // a simple component is its own first subcomponent
  CHECK(m.get("PID-1.1.1") == "1");
}

TEST_CASE("get picks segment occurrences") {
  const auto m = Message::parse(kOru);
  CHECK(m.get("OBX-5") == "13.5");
  CHECK(m.get("OBX[1]-5") == "13.5");
  CHECK(m.get("OBX[2]-5") == "6.1");
  CHECK(m.get("OBX[3]-5") == "O&Brien said |ok|");
  CHECK(m.get("OBX[4]-5") == std::nullopt);
}

TEST_CASE("get is nullopt for what is absent and empty for what is empty") {
  const auto m = Message::parse(kOru);
  CHECK(m.get("NTE-1") == std::nullopt);
  CHECK(m.get("PID-99") == std::nullopt);
  CHECK(m.get("PID-3[3]") == std::nullopt);
  CHECK(m.get("PID-3[1].6") == std::nullopt);
  CHECK(m.get("PID-3[2].4.4") == std::nullopt);
  CHECK(m.get("PID-5.3") == "");
  CHECK(m.get("PID-2") == "");
  CHECK(m.get("OBX[3]-6") == "");
  CHECK(m.get("OBX[3]-7") == std::nullopt);
  CHECK(m.get("MSH-1.2") == std::nullopt);
  CHECK(m.get("MSH-2[2]") == std::nullopt);
  CHECK(m.get("MSH-2.1") == "^~\\&");
  CHECK_THROWS_AS(m.get("PID-3.x"), std::invalid_argument);
}

TEST_CASE("a path without a field names the whole segment") {
  const auto m = Message::parse(kOru);
  CHECK(m.get("OBX[2]") == "OBX|2|NM|WBC||6.1|10*3/uL");
  CHECK(m.get("MSH") == m.segment_text(0));
  CHECK(m.get("NTE") == std::nullopt);
}

TEST_CASE("segments can be iterated by index") {
  const auto m = Message::parse(kOru);
  std::vector<std::string> names;
  for (size_t i = 0; i < m.segment_count(); ++i) names.push_back(m.segment_name(i));
  CHECK(names == std::vector<std::string>{"MSH", "PID", "OBR", "OBX", "OBX", "OBX"});
}
