// Reading a whole config file: JSON errors, host schema, ids.
#include <catch2/catch.hpp>

#include "config/load.hpp"
#include "test_support.hpp"

using ferry::config::Diagnostics;
using ferry::test::all_errors;
using ferry::test::has_error;

namespace {
const char* const kValid = R"({
  "engine": {"data_dir": "d", "plugin_dirs": ["p1", "p2"], "log_level": "debug"},
  "plugins": ["testkit"],
  "channels": [{
    "id": "adt-in",
    "source": {"type": "testkit.counter", "config": {"count": 1},
               "schedule": {"type": "testkit.every", "config": {"interval_ms": 5}}},
    "transformers": [{"type": "testkit.tag"}],
    "destinations": [{"id": "out", "type": "testkit.sink", "config": {"path": "x"},
                      "transformers": [{"type": "testkit.tag"}]}]
  }]
})";
}  // namespace

TEST_CASE("a valid config becomes the model - with host defaults") {
  ferry::test::TempDir dir;
  Diagnostics d;
  auto cfg = ferry::config::load_config(dir.write("f.json", kValid), {"default"}, d);
  INFO(all_errors(d));
  REQUIRE(cfg);
  REQUIRE(d.ok());
  CHECK(cfg->engine.data_dir == "d");
  CHECK(cfg->engine.plugin_dirs.size() == 2);
  CHECK(cfg->engine.workers == 2);
  CHECK(cfg->engine.shutdown_timeout_ms == 30000);
  REQUIRE(cfg->channels.size() == 1);
  const auto& ch = cfg->channels[0];
  CHECK(ch.id == "adt-in");
  CHECK(ch.enabled);
  CHECK(ch.source.type == "testkit.counter");
  REQUIRE(ch.source.schedule);
  CHECK(ch.source.schedule->path == "/channels/0/source/schedule");
  CHECK(ch.transformers.at(0).path == "/channels/0/transformers/0");
  CHECK(ch.destinations.at(0).transformers.at(0).path == "/channels/0/destinations/0/transformers/0");
}

TEST_CASE("default plugin_dirs apply when the config names none") {
  ferry::test::TempDir dir;
  Diagnostics d;
  auto cfg = ferry::config::load_config(dir.write("f.json", R"({"plugins": []})"), {"/opt/x"}, d);
  REQUIRE(cfg);
  CHECK(d.ok());
  REQUIRE(cfg->engine.plugin_dirs.size() == 1);
  CHECK(cfg->engine.plugin_dirs[0] == "/opt/x");
  CHECK(cfg->engine.data_dir == "var/");
}

TEST_CASE("invalid JSON is reported with line and column") {
  ferry::test::TempDir dir;
  Diagnostics d;
  auto cfg = ferry::config::load_config(dir.write("f.json", "{\n  \"plugins\": [,]\n}"), {}, d);
  CHECK_FALSE(cfg);
  REQUIRE(d.errors.size() == 1);
  CHECK(d.errors[0].message.find("line 2") != std::string::npos);
}

TEST_CASE("a missing file is an error - not a crash") {
  Diagnostics d;
  CHECK_FALSE(ferry::config::load_config("/nonexistent/ferry.json", {}, d));
  CHECK(d.errors.at(0).message.find("cannot read config file") != std::string::npos);
}

TEST_CASE("structural errors across the file are all reported") {
  ferry::test::TempDir dir;
  Diagnostics d;
  auto cfg = ferry::config::load_config(dir.write("f.json", R"({
    "engine": {"workers": 0, "log_level": "loud", "extra": 1},
    "plugins": ["a", "a"],
    "channels": [
      {"id": "x y", "source": {"type": "t.s"}, "destinations": []},
      {"id": "dup", "source": {"config": {}}, "destinations": [{"id": "d", "type": "t.d"}, {"id": "d", "type": "t.d"}]},
      {"id": "dup", "source": {"type": "t.s"}, "destinations": [{"id": "d", "type": "t.d"}]}
    ]
  })"), {}, d);
  REQUIRE(cfg);
  INFO(all_errors(d));
  CHECK(has_error(d, "/engine/workers", "expected integer 1..64, got 0"));
  CHECK(has_error(d, "/engine/log_level", "one of"));
  CHECK(has_error(d, "/engine/extra", "unknown key"));
  CHECK(has_error(d, "/plugins/1", "listed twice"));
  CHECK(has_error(d, "/channels/0/id", "may only use"));
  CHECK(has_error(d, "/channels/0/destinations", "with 1..1000 items"));
  CHECK(has_error(d, "/channels/1/source/type", "required key is missing"));
  CHECK(has_error(d, "/channels/1/destinations/1/id", "duplicate destination id"));
  CHECK(has_error(d, "/channels/2/id", "duplicate channel id"));
  CHECK(d.errors.size() == 9);
}

TEST_CASE("plugins is required and the root must be an object") {
  ferry::test::TempDir dir;
  Diagnostics d;
  ferry::config::load_config(dir.write("f.json", "{}"), {}, d);
  CHECK(has_error(d, "/plugins", "required key is missing"));
  Diagnostics d2;
  CHECK_FALSE(ferry::config::load_config(dir.write("g.json", "[1]"), {}, d2));
  CHECK(d2.errors.size() == 1);
}
