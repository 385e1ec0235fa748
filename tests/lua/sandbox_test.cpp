// The sandbox: what a script cannot reach, and the admin's opt-ins.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "support.hpp"

using namespace ferry::lua;
using namespace ferry::lua::test;

namespace {

std::string error_of(const std::string& body, Options o = {}) {
  const Run r = run_once("function transform(msg)\n" + body + "\nend", "", "text/plain", std::move(o));
  return r.outcome.kind == Outcome::Kind::error ? r.outcome.text : "(no error)";
}

Options allowing(std::initializer_list<const char*> names) {
  Options o;
  for (const char* n : names) o.allow.insert(n);
  return o;
}

}  // namespace

TEST_CASE("dangerous libraries are absent", "[sandbox]") {
  auto r = run_once(R"(
    function transform(msg)
      for _, name in ipairs({"os", "io", "require", "package", "debug", "dofile", "loadfile", "warn"}) do
        assert(_G[name] == nil, name .. " is reachable")
      end
      assert(string.dump == nil)
      assert(getmetatable("") == false)
      assert(getmetatable(msg) == false and getmetatable(msg.meta) == false)
      assert(("x"):upper() == "X")         -- string methods still work
      assert(coroutine.wrap(function() return 1 end)() == 1)
    end)",
                    "");
  REQUIRE_OK(r);
}

TEST_CASE("escapes are refused with clear errors", "[sandbox]") {
  CHECK(error_of("os.execute('touch /tmp/ferry-lua-escaped')") ==
        "script:2: attempt to index a nil value (global 'os')");
  CHECK(error_of("io.open('/etc/passwd')") == "script:2: attempt to index a nil value (global 'io')");
  CHECK(error_of("require('os')") == "script:2: attempt to call a nil value (global 'require')");
  CHECK(error_of("string.dump(transform)") == "script:2: attempt to call a nil value (field 'dump')");
  CHECK(error_of("load('\\27Lua', 'x', 'b')") ==
        "script:2: load: only text chunks can be loaded (mode \"t\"), not bytecode");
  // Bytecode smuggled in as text is refused by the text-only mode.
  CHECK(error_of("local f, e = load('\\27LuaT') assert(f, e)") ==
        "script:2: attempt to load a binary chunk (mode is 't')");
  CHECK(error_of("getmetatable('').__index.rep = nil") == "script:2: attempt to index a boolean value");
  CHECK(error_of("setmetatable({}, {__gc = function() end})") ==
        "script:2: setmetatable: __gc (finalizers) is not allowed in the sandbox");
  CHECK(error_of("collectgarbage('stop')") ==
        "script:2: collectgarbage(\"stop\") is not allowed in the sandbox (only \"collect\", \"count\", \"step\")");
  CHECK(error_of("local f = load('return os') assert(f() == nil) error('ok')") == "script:2: ok");
}

TEST_CASE("text load works and sees the sandbox", "[sandbox]") {
  auto r = run_once(R"(
    function transform(msg)
      local f = assert(load("return 1 + ...", "expr"))
      assert(f(2) == 3)
      assert(collectgarbage("count") > 0)
    end)",
                    "");
  REQUIRE_OK(r);
}

TEST_CASE("os opt-ins give only the named functions", "[sandbox]") {
  auto some = run_once(R"(
    function transform(msg)
      assert(type(os.time()) == "number" and os.date("!%Y", 0) == "1970")
      assert(os.execute == nil and os.exit == nil and os.getenv == nil)
      assert(io == nil)
    end)",
                       "", "text/plain", allowing({"os.time", "os.date"}));
  REQUIRE_OK(some);
  auto all = run_once(R"(
    function transform(msg)
      assert(os.getenv and os.remove and os.execute)
      assert(os.exit == nil and os.setlocale == nil)
    end)",
                      "", "text/plain", allowing({"os"}));
  REQUIRE_OK(all);
  auto io = run_once("function transform(msg) assert(io.open) end", "", "text/plain", allowing({"io"}));
  REQUIRE_OK(io);
  auto tb = run_once("function transform(msg) assert(debug.traceback():find('traceback')) assert(debug.sethook == nil) end",
                     "", "text/plain", allowing({"debug.traceback"}));
  REQUIRE_OK(tb);
}

TEST_CASE("require loads text modules from module_dirs only", "[sandbox]") {
  const auto dir = std::filesystem::temp_directory_path() / ("ferry-lua-modules-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir / "lib");
  std::ofstream(dir / "lib" / "names.lua") << "loads = (loads or 0) + 1\nreturn {upper = function(s) return s:upper() end}\n";
  std::ofstream(dir / "broken.lua") << "return 1 +\n";
  Options o = allowing({"require"});
  o.module_dirs = {dir.string()};
  auto r = run_once(R"(
    local names = require("lib.names")
    function transform(msg)
      assert(require("lib.names") == names and loads == 1)
      msg.content = names.upper("x")
    end)",
                    "", "text/plain", o);
  REQUIRE_OK(r);
  CHECK(r.message.content() == "X");
  CHECK_THAT(error_of("require('nope')", o), Catch::StartsWith("script:2: require: module 'nope' not found (tried: "));
  CHECK(error_of("require('../etc/passwd')", o) ==
        "script:2: require: bad module name \"../etc/passwd\" (letters, digits, _ and dots)");
  CHECK_THAT(error_of("require('broken')", o), Catch::EndsWith("broken.lua:2: unexpected symbol near <eof>"));
  std::filesystem::remove_all(dir);
}
