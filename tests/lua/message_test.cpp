// Content, raw, metadata, filter, logging, params, and the state across messages.
#include <catch2/catch.hpp>

#include "support.hpp"

using namespace ferry::lua;
using namespace ferry::lua::test;

TEST_CASE("metadata reads writes removes and iterates", "[message]") {
  FakeMessage m("x");
  m.meta_ = {{"filename", "a.hl7"}, {"drop", "me"}};
  std::vector<std::string> log;
  Script s = make_script(inline_script(R"(
    function transform(msg)
      assert(msg.meta.filename == "a.hl7" and msg.meta.nope == nil)
      msg.meta.patient = "123"
      msg.meta.count = 5
      msg.meta.drop = nil
      local keys = {}
      for k, v in pairs(msg.meta) do keys[#keys + 1] = k .. "=" .. v end
      log.info(table.concat(keys, ";"), msg.id)
    end)"),
                         &log);
  const Outcome o = s.run(m);
  INFO(o.text);
  REQUIRE(o.kind == Outcome::Kind::ok);
  CHECK(m.meta_ == std::vector<std::pair<std::string, std::string>>{
                       {"filename", "a.hl7"}, {"patient", "123"}, {"count", "5"}});
  CHECK(log == std::vector<std::string>{"info: filename=a.hl7;patient=123;count=5 42"});
}

TEST_CASE("bad metadata writes are errors", "[message]") {
  CHECK(run_once("function transform(msg) msg.meta.x = {} end", "").outcome.text ==
        "script:1: msg.meta[\"x\"]: a value must be a string, a number or nil (got table)");
  CHECK(run_once("function transform(msg) msg.meta[''] = 'v' end", "").outcome.text ==
        "script:1: msg.meta: a key must not be empty");
}

TEST_CASE("content raw and content type", "[message]") {
  auto r = run_once(R"(
    function transform(msg)
      assert(msg.content == "hello" and msg.raw == "hello" and msg.content_type == "text/plain")
      msg.content = msg.content .. " world"
      msg.content_type = "text/x-greeting"
      assert(msg.content == "hello world" and msg.raw == "hello")
      msg:set_content(msg.content .. "!", "text/x-other")
    end)",
                    "hello");
  REQUIRE_OK(r);
  CHECK(r.message.content() == "hello world!");
  CHECK(r.message.content_type() == "text/x-other");
  CHECK(r.message.content_writes == 1);
}

TEST_CASE("a failed or filtered message keeps its content and the metadata written", "[message]") {
  auto failed = run_once("function transform(msg) msg.content = 'changed' msg.meta.k = 'v' error('boom') end", "orig");
  CHECK(failed.outcome.kind == Outcome::Kind::error);
  CHECK(failed.outcome.text == "script:1: boom");
  CHECK(failed.message.content() == "orig");
  CHECK(failed.message.meta("k") == std::optional<std::string_view>("v"));
  auto filtered = run_once("function transform(msg) msg:set('PID-5.1', 'X') filter('not for us') end", kAdt);
  CHECK(filtered.outcome.kind == Outcome::Kind::filtered);
  CHECK(filtered.outcome.text == "not for us");
  CHECK(filtered.message.content() == kAdt);
}

TEST_CASE("filter with and without a reason and inside pcall", "[message]") {
  auto plain = run_once("function transform(msg) filter() end", "");
  CHECK(plain.outcome.kind == Outcome::Kind::filtered);
  CHECK(plain.outcome.text == "filtered by the script");
  auto caught = run_once("function transform(msg) pcall(filter, 'caught') msg.content = 'x' end", "");
  CHECK(caught.outcome.kind == Outcome::Kind::filtered);
  CHECK(caught.outcome.text == "caught");
  CHECK(caught.message.content().empty());
}

TEST_CASE("log levels and print", "[message]") {
  auto r = run_once(R"(
    function transform(msg)
      log.debug("d", 1) log.info("i", true, nil) log.warn("w") log.error("e")
      print("p", 2.5, setmetatable({}, {__tostring = function() return "obj" end}))
      log.info(string.rep("x", 9000))
    end)",
                    "");
  REQUIRE_OK(r);
  REQUIRE(r.log.size() == 6);
  CHECK(r.log[0] == "debug: d 1");
  CHECK(r.log[1] == "info: i true nil");
  CHECK(r.log[2] == "warn: w");
  CHECK(r.log[3] == "error: e");
  CHECK(r.log[4] == "info: p 2.5 obj");
  CHECK(r.log[5] == "info: " + std::string(8192, 'x') + "... (9000 bytes)");
}

TEST_CASE("params and state kept across messages", "[message]") {
  Options o = inline_script(R"(
    local seen = 0
    local prefix = params.prefix .. params.list[2]
    function transform(msg)
      seen = seen + 1
      msg.content = prefix .. seen
    end)");
  o.params = {{"prefix", "n"}, {"list", {1, 2}}};
  Script s = make_script(std::move(o));
  FakeMessage a, b;
  REQUIRE(s.run(a).kind == Outcome::Kind::ok);
  REQUIRE(s.run(b).kind == Outcome::Kind::ok);
  CHECK(a.content() == "n21");
  CHECK(b.content() == "n22");
}

TEST_CASE("a msg kept past its call is refused", "[message]") {
  Script s = make_script(inline_script(R"(
    local kept
    function transform(msg)
      if kept then return kept:get("PID-5") end
      kept = msg
    end)"));
  FakeMessage a(kAdt), b(kAdt);
  REQUIRE(s.run(a).kind == Outcome::Kind::ok);
  const Outcome o = s.run(b);
  CHECK(o.kind == Outcome::Kind::error);
  CHECK_THAT(o.text, Catch::StartsWith("script:4: this msg belongs to an earlier message"));
}

TEST_CASE("unknown msg fields are errors", "[message]") {
  CHECK(run_once("function transform(msg) return msg.conten end", "").outcome.text ==
        "script:1: msg has no field 'conten'");
  CHECK(run_once("function transform(msg) msg.raw = 'x' end", "").outcome.text ==
        "script:1: msg.raw cannot be assigned (msg.content, msg.content_type and msg.json can)");
}
