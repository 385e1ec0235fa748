// Compile errors at create, runtime errors naming the chunk and line.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "support.hpp"

using namespace ferry::lua;
using namespace ferry::lua::test;

namespace {

std::string create_error(Options o) {
  try {
    make_script(std::move(o));
  } catch (const std::exception& e) {
    return e.what();
  }
  return "(created)";
}

struct TempFile {
  explicit TempFile(const std::string& text) {
    path = (std::filesystem::temp_directory_path() / ("ferry-lua-test-" + std::to_string(::getpid()) + ".lua")).string();
    std::ofstream(path) << text;
  }
  ~TempFile() { std::remove(path.c_str()); }
  std::string path;
};

}  // namespace

TEST_CASE("syntax errors fail create naming the line", "[errors]") {
  CHECK(create_error(inline_script("function transform(msg)\n  local x = = 1\nend")) ==
        "script:2: unexpected symbol near '='");
  CHECK(create_error(inline_script("x = 1")) ==
        "script: the script must define a function transform(msg) (transform is nil)");
  CHECK(create_error(inline_script("\n\nerror('top level')\nfunction transform() end")) == "script:3: top level");
}

TEST_CASE("errors in a file name the file and line", "[errors]") {
  TempFile f("-- comment\nfunction transform(msg)\n  local t = nil\n  return t.field\nend\n");
  Options o;
  read_script_file(o, f.path);
  Script s = make_script(o);
  FakeMessage m;
  const Outcome out = s.run(m);
  CHECK(out.kind == Outcome::Kind::error);
  // Lua shortens long paths to their end ("...") in positions.
  CHECK_THAT(out.text, Catch::EndsWith(std::filesystem::path(f.path).filename().string() +
                                       ":4: attempt to index a nil value (local 't')"));
  TempFile bad("function transform(msg)\n  if then\nend\n");
  Options ob;
  read_script_file(ob, bad.path);
  CHECK_THAT(create_error(ob), Catch::EndsWith(".lua:2: unexpected symbol near 'then'"));
  Options missing;
  CHECK_THROWS_WITH(read_script_file(missing, "/nonexistent/x.lua"), "file: cannot read /nonexistent/x.lua");
}

TEST_CASE("every runtime error names the line", "[errors]") {
  CHECK(run_once("function transform(msg)\n  error({code = 1})\nend", "").outcome.text ==
        "script:2: error object is a table value");
  CHECK(run_once("function transform(msg)\n\n  error('no position', 0)\nend", "").outcome.text ==
        "script:3: no position");
  CHECK(run_once("local function f()\n  return 1 + {}\nend\nfunction transform(msg) f() end", "").outcome.text ==
        "script:2: attempt to perform arithmetic on a table value");
  CHECK(run_once("function transform(msg)\n  string.rep()\nend", "").outcome.text ==
        "script:2: bad argument #1 to 'rep' (string expected, got no value)");
}
