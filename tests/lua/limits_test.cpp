// Runaway scripts: instruction, time and memory limits fail the message,
// and the next message runs in a fresh state.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>

#include "support.hpp"

using namespace ferry::lua;
using namespace ferry::lua::test;

namespace {

// transform: an endless loop for content "loop", a memory bomb for "bomb",
// otherwise counts messages in a global (reset when the state is rebuilt).
const char* const kRunaway = R"(
count = 0
function transform(msg)
  count = count + 1
  if msg.content == "loop" then
    while true do end
  elseif msg.content == "catch" then
    while true do pcall(function() while true do end end) end
  elseif msg.content == "bomb" then
    local t = {}
    for i = 1, 1e9 do t[i] = string.rep("x", 1024) .. i end
  elseif msg.content == "grow" then
    local s = "x"
    while true do s = s .. s end
  end
  msg.content = "ok " .. count
end)";

}  // namespace

TEST_CASE("an endless loop stops at max_instructions and the state is rebuilt", "[limits]") {
  Options o = inline_script(kRunaway);
  o.max_instructions = 100000;
  std::vector<std::string> log;
  Script s = make_script(o, &log);
  FakeMessage first, loop("loop"), after;
  REQUIRE(s.run(first).kind == Outcome::Kind::ok);
  CHECK(first.content() == "ok 1");
  const Outcome stopped = s.run(loop);
  CHECK(stopped.kind == Outcome::Kind::error);
  CHECK(stopped.text == "script:6: stopped: more than 100000 instructions (max_instructions)");
  CHECK(loop.content() == "loop");
  CHECK(s.rebuilds() == 1);
  REQUIRE(s.run(after).kind == Outcome::Kind::ok);
  CHECK(after.content() == "ok 1");  // a fresh state: the count started again
  CHECK(log.back() == "warn: the script's state was rebuilt after a limit stopped it: " + stopped.text);
}

TEST_CASE("pcall cannot swallow the stop", "[limits]") {
  Options o = inline_script(kRunaway);
  o.max_instructions = 50000;
  Script s = make_script(o);
  FakeMessage m("catch");
  const Outcome out = s.run(m);
  CHECK(out.kind == Outcome::Kind::error);
  CHECK_THAT(out.text, Catch::EndsWith("stopped: more than 50000 instructions (max_instructions)"));
}

TEST_CASE("an endless loop stops at timeout_ms", "[limits]") {
  Options o = inline_script(kRunaway);
  o.max_instructions = 1'000'000'000'000;
  o.timeout_ms = 200;
  Script s = make_script(o);
  FakeMessage loop("loop"), after;
  const auto start = std::chrono::steady_clock::now();
  const Outcome out = s.run(loop);
  const auto took = std::chrono::steady_clock::now() - start;
  CHECK(out.text == "script:6: stopped: ran longer than 200 ms (timeout_ms)");
  CHECK(took >= std::chrono::milliseconds(200));
  CHECK(took < std::chrono::seconds(5));
  REQUIRE(s.run(after).kind == Outcome::Kind::ok);
}

TEST_CASE("memory bombs stop at max_memory_mb", "[limits]") {
  Options o = inline_script(kRunaway);
  o.max_memory_mb = 8;
  o.max_instructions = 1'000'000'000;
  o.timeout_ms = 20000;
  Script s = make_script(o);
  for (const char* bomb : {"bomb", "grow"}) {
    FakeMessage m(bomb), after;
    const Outcome out = s.run(m);
    CHECK(out.kind == Outcome::Kind::error);
    CHECK(out.text == "stopped: the script needs more than 8 MB of memory (max_memory_mb)");
    CHECK(s.memory_in_use() < 1024 * 1024);  // the rebuilt state
    REQUIRE(s.run(after).kind == Outcome::Kind::ok);
    CHECK(after.content() == "ok 1");
  }
}

TEST_CASE("limits apply to the top level at create", "[limits]") {
  Options o = inline_script("while true do end\nfunction transform() end");
  o.max_instructions = 10000;
  CHECK_THROWS_WITH(make_script(o), "script:1: stopped: more than 10000 instructions (max_instructions)");
  Options m = inline_script("local t = {} for i = 1, 1e9 do t[i] = i end\nfunction transform() end");
  m.max_memory_mb = 2;
  m.max_instructions = 1'000'000'000;
  CHECK_THROWS_WITH(make_script(m), "stopped: the script needs more than 2 MB of memory (max_memory_mb)");
}

TEST_CASE("a caught memory error fails nothing when the script recovers", "[limits]") {
  Options o = inline_script(R"(
    function transform(msg)
      local ok = pcall(function() local s = "x" while true do s = s .. s end end)
      msg.content = ok and "no limit?" or "recovered"
    end)");
  o.max_memory_mb = 4;
  Script s = make_script(o);
  FakeMessage m;
  const Outcome out = s.run(m);
  INFO(out.text);
  CHECK(out.kind == Outcome::Kind::ok);
  CHECK(m.content() == "recovered");
  CHECK(s.rebuilds() == 0);
}

TEST_CASE("memory stays bounded across many messages", "[limits]") {
  Script s = make_script(inline_script(R"LUA(
    function transform(msg)
      msg.meta.mrn = msg:get("PID-3.1")
      for seg in msg:segments("OBX") do seg:set(5, seg:get(5) .. "!") end
      local j = json.decode('{"a": [1, 2, {"b": "c"}]}')
      msg.meta.n = #j.a
    end)LUA"));
  size_t peak = 0;
  for (int i = 0; i < 5000; ++i) {
    FakeMessage m(kAdt);
    REQUIRE(s.run(m).kind == Outcome::Kind::ok);
    peak = std::max(peak, s.memory_in_use());
  }
  CHECK(peak < 4 * 1024 * 1024);
  CHECK(s.rebuilds() == 0);
}
