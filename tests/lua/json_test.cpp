// msg.json, msg:set_json and the json table.
#include <catch2/catch.hpp>

#include "support.hpp"

using namespace ferry::lua;
using namespace ferry::lua::test;

TEST_CASE("msg.json reads the content as tables and writes back", "[json]") {
  auto r = run_once(R"(
    function transform(msg)
      local j = msg.json
      assert(j.name == "Doe" and j.age == 42 and math.type(j.age) == "integer")
      assert(j.weight == 80.5 and j.ok == true and j.none == json.null)
      assert(#j.tags == 2 and j.tags[1] == "a")
      assert(msg.json == j)                  -- one table per message
      j.name = "Roe"
      j.tags[#j.tags + 1] = "c"
      j.added = {x = 1}
      msg.json = j
    end)",
                    R"({"name":"Doe","age":42,"weight":80.5,"ok":true,"none":null,"tags":["a","b"],"empty_list":[],"empty_obj":{}})");
  REQUIRE_OK(r);
  CHECK(r.message.content() ==
        R"({"added":{"x":1},"age":42,"empty_list":[],"empty_obj":{},"name":"Roe","none":null,"ok":true,"tags":["a","b","c"],"weight":80.5})");
  CHECK(r.message.content_type() == "application/json");
}

TEST_CASE("changes to msg.json stay in the table until written back", "[json]") {
  auto r = run_once("function transform(msg) msg.json.a = 2 end", R"({"a":1})", "application/json");
  REQUIRE_OK(r);
  CHECK(r.message.content() == R"({"a":1})");
  CHECK(r.message.content_writes == 0);
}

TEST_CASE("tables become arrays or objects", "[json]") {
  auto r = run_once(R"(
    function transform(msg)
      msg:set_json({
        seq = {1, 2, 3},
        sparse = {[1] = "a", [3] = "c"},
        mixed = {1, x = 2},
        empty = {},
        empty_array = json.array(),
        marked = json.object({}),
        nested = {{a = json.null}},
        float = 1.5,
      })
    end)",
                    "");
  REQUIRE_OK(r);
  CHECK(r.message.content() ==
        R"({"empty":{},"empty_array":[],"float":1.5,"marked":{},"mixed":{"1":1,"x":2},"nested":[{"a":null}],"seq":[1,2,3],"sparse":{"1":"a","3":"c"}})");
}

TEST_CASE("values with no JSON form are errors naming the pointer", "[json]") {
  CHECK(run_once("function transform(msg) msg.json = {a = {b = {print}}} end", "").outcome.text ==
        "script:1: cannot write as JSON at /a/b/0: a function value has no JSON form");
  CHECK(run_once("function transform(msg) msg.json = {x = 0/0} end", "").outcome.text ==
        "script:1: cannot write as JSON at /x: NaN and infinities have no JSON form");
  const std::string cycle = run_once("function transform(msg) local t = {} t.t = t msg.json = t end", "").outcome.text;
  CHECK_THAT(cycle, Catch::StartsWith("script:1: cannot write as JSON at /t/t/t/") &&
                        Catch::EndsWith(": nested more than 200 levels deep (does a table contain itself?)"));
  CHECK(run_once("function transform(msg) local _ = msg.json end", "{bad").outcome.text.rfind(
            "script:1: msg.json: the content is not JSON: parse error at line 1, column 2", 0) == 0);
}

TEST_CASE("deep JSON is refused not crashed", "[json]") {
  const std::string deep = std::string(300, '[') + std::string(300, ']');
  CHECK(run_once("function transform(msg) local _ = msg.json end", deep).outcome.text ==
        "script:1: msg.json: the content is not JSON: the JSON is nested more than 200 levels deep");
  CHECK(run_once("function transform(msg) json.decode('[1,') end", "").outcome.text.rfind(
            "script:1: parse error at line 1, column 4: syntax error while parsing value", 0) == 0);
}

TEST_CASE("json encode and decode", "[json]") {
  auto r = run_once(R"(
    function transform(msg)
      local v = json.decode('[1, 2.5, "x", null, {"k": []}, 18446744073709551615]')
      assert(v[1] == 1 and v[2] == 2.5 and v[4] == json.null and #v == 6)
      assert(getmetatable(v) == "json.array" and getmetatable(v[5]) == "json.object")
      assert(math.type(v[6]) == "float")
      msg.content = json.encode(v)
      assert(json.encode({a = 1}, 2) == '{\n  "a": 1\n}')
      assert(json.encode("\u{e9}") == '"\u{e9}"')
      assert(not pcall(json.encode, "\xff"))       -- not UTF-8
    end)",
                    "");
  REQUIRE_OK(r);
  CHECK(r.message.content() == R"([1,2.5,"x",null,{"k":[]},1.8446744073709552e+19])");
}

TEST_CASE("JSON to HL7", "[json]") {
  auto r = run_once(R"(
    function transform(msg)
      local p = msg.json
      msg.content = "MSH|^~\\&|FERRY|HOSP|||20260101||ADT^A04|" .. p.id .. "|P|2.5\r"
      msg:set("PID-3.1", p.mrn)
      msg:set("PID-5.1", p.family)
      msg:set("PID-5.2", p.given)
    end)",
                    R"({"id":"X1","mrn":"123","family":"Doe","given":"Jane"})", "application/json");
  REQUIRE_OK(r);
  CHECK(r.message.content() == "MSH|^~\\&|FERRY|HOSP|||20260101||ADT^A04|X1|P|2.5\rPID|||123||Doe^Jane\r");
  CHECK(r.message.content_type() == "application/hl7-v2");
}
