// The HL7 API: values by path, segments, repetitions.
#include <catch2/catch.hpp>

#include "support.hpp"

using namespace ferry::lua;
using namespace ferry::lua::test;

namespace {

std::string crlf(std::string s) {  // for readable failures
  for (char& c : s)
    if (c == '\r') c = '\n';
  return s;
}

}  // namespace

TEST_CASE("get set and clear fields by path", "[hl7]") {
  auto r = run_once(R"(
    function transform(msg)
      assert(msg:get("PID-5.1") == "DOE")
      assert(msg:get("PID-5") == "DOE^JOHN^Q")      -- a composite reads encoded
      assert(msg:get("PID-3[2].1") == "456")
      assert(msg:get("MSH-9.2") == "A01")
      assert(msg:get("ZZZ-1") == nil)               -- absent
      assert(msg:get("PV1-3") == nil)
      msg:set("PID-5.1", "O|BRIEN")                 -- escaped on write
      msg:set("PID-8", 7)                           -- numbers are written as text
      msg:set("ZFE-2", "added")                     -- creates the segment
      msg:clear("PID-5.3")
      msg:set("PV1-2", nil)                         -- nil clears
      assert(msg:get("PID-5.1") == "O|BRIEN")
    end)",
                    kAdt);
  REQUIRE_OK(r);
  CHECK(crlf(std::string(r.message.content())) ==
        crlf("MSH|^~\\&|LAB|HOSP|EHR|HOSP|20260101120000||ADT^A01|MSG001|P|2.5\r"
             "PID|1||123^^^HOSP^MR~456^^^OTHER^XX||O\\F\\BRIEN^JOHN||19700101|7\r"
             "PV1|1\r"
             "OBX|1|TX|A||first\r"
             "NTE|1||note\r"
             "OBX|2|TX|B||second\r"
             "ZFE||added\r"));
  CHECK(r.message.content_type() == "application/hl7-v2");
}

TEST_CASE("a message only read is not written back", "[hl7]") {
  auto r = run_once(R"(function transform(msg) local _ = msg:get("PID-5.1") end)", kAdt);
  REQUIRE_OK(r);
  CHECK(r.message.content_writes == 0);
  CHECK(r.message.content_type() == "text/plain");
}

TEST_CASE("bad paths and non-HL7 content are errors naming the line", "[hl7]") {
  auto bad_path = run_once("function transform(msg)\n  msg:get('PID-x')\nend", kAdt);
  CHECK(bad_path.outcome.kind == Outcome::Kind::error);
  CHECK_THAT(bad_path.outcome.text, Catch::StartsWith("script:2: bad HL7 path \"PID-x\""));
  auto not_hl7 = run_once("function transform(msg)\n\n  msg:set('PID-5', 'x')\nend", "hello");
  CHECK(not_hl7.outcome.text == "script:3: the content is not an HL7 v2 message: offset 0: a message starts with MSH, not \"hel\"");
  auto msh2 = run_once("function transform(msg) msg:set('MSH-2', 'x') end", kAdt);
  CHECK_THAT(msh2.outcome.text, Catch::StartsWith("script:1: "));
  CHECK(msh2.message.content() == kAdt);
  auto colon = run_once("function transform(msg) msg.get('PID-5') end", kAdt);
  CHECK_THAT(colon.outcome.text, Catch::Contains("call methods with a colon"));
}

TEST_CASE("segments iterate count list and edit", "[hl7]") {
  auto r = run_once(R"(
    function transform(msg)
      assert(msg:segment_count() == 6)
      assert(msg:segment_count("OBX") == 2)
      local seen = {}
      for seg in msg:segments("OBX") do
        seen[#seen + 1] = seg.path .. "@" .. seg.index .. "=" .. seg:get(5)
        seg:set(5, seg:get(5):upper())
      end
      assert(table.concat(seen, ",") == "OBX[1]@4=first,OBX[2]@6=second", table.concat(seen, ","))
      local names = {}
      for seg in msg:segments() do names[#names + 1] = seg.name .. seg.occurrence end
      assert(table.concat(names, " ") == "MSH1 PID1 PV11 OBX1 NTE1 OBX2", table.concat(names, " "))
      local list = msg:segment_list("OBX")
      assert(#list == 2 and list[2]:text() == "OBX|2|TX|B||SECOND")
      assert(msg:add_segment("ZFE|1|first") == 7)
      assert(msg:add_segment("ZPI|x", 3) == 3)      -- before PV1
      assert(msg:remove_segment("NTE") == true)
      assert(msg:remove_segment("NTE") == false)
      assert(msg:remove_segment(99) == false)
      assert(msg:remove_segments("OBX") == 2)
    end)",
                    kAdt);
  REQUIRE_OK(r);
  CHECK(crlf(std::string(r.message.content())) ==
        crlf("MSH|^~\\&|LAB|HOSP|EHR|HOSP|20260101120000||ADT^A01|MSG001|P|2.5\r"
             "PID|1||123^^^HOSP^MR~456^^^OTHER^XX||DOE^JOHN^Q||19700101|M\r"
             "ZPI|x\r"
             "PV1|1|I\r"
             "ZFE|1|first\r"));
}

TEST_CASE("the MSH stays", "[hl7]") {
  CHECK_THAT(run_once("function transform(msg) msg:remove_segment(1) end", kAdt).outcome.text,
             Catch::Contains("the MSH (position 1) cannot be removed"));
  CHECK_THAT(run_once("function transform(msg) msg:remove_segments('MSH') end", kAdt).outcome.text,
             Catch::Contains("the MSH cannot be removed"));
  CHECK_THAT(run_once("function transform(msg) msg:add_segment('ZFE|1', 1) end", kAdt).outcome.text,
             Catch::Contains("position 1 is not between 2 and 7"));
}

TEST_CASE("repetitions", "[hl7]") {
  auto r = run_once(R"(
    function transform(msg)
      assert(msg:repetitions("PID-3") == 2)
      assert(msg:repetitions("PID-4") == 0)        -- empty
      assert(msg:repetitions("ZZZ-1") == 0)        -- absent
      local ids = {}
      for i = 1, msg:repetitions("PID-3") do ids[i] = msg:get("PID-3[" .. i .. "].1") end
      assert(table.concat(ids, ",") == "123,456")
      msg:set("PID-3[3].1", "789")
      assert(msg:repetitions("PID-3") == 3)
    end)",
                    kAdt);
  REQUIRE_OK(r);
  CHECK(std::string(r.message.content()).find("PID|1||123^^^HOSP^MR~456^^^OTHER^XX~789||") != std::string::npos);
}
