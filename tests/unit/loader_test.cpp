// One test per loader error: each message must name the file and the cause.
#include <catch2/catch.hpp>

#include "config/load.hpp"
#include "loader/registry.hpp"
#include "runtime/binding.hpp"
#include "runtime/objects.hpp"
#include "test_support.hpp"

using ferry::config::Diagnostics;
using ferry::test::all_errors;
using ferry::test::test_plugin_dir;

namespace {

// Load one plugin by name from the test plugin folder; returns the errors.
Diagnostics load_one(const std::string& name, ferry::loader::Registry& registry) {
  Diagnostics d;
  registry.load({name}, {test_plugin_dir()}, ferry::runtime::host_api(), d);
  return d;
}

std::string file_of(const std::string& name) { return (test_plugin_dir() / (name + ".so")).string(); }

void require_single_error(const Diagnostics& d, std::initializer_list<std::string> fragments) {
  INFO(all_errors(d));
  REQUIRE(d.errors.size() == 1);
  CHECK(d.errors[0].path == "/plugins/0");
  for (const auto& f : fragments) CHECK_THAT(d.errors[0].message, Catch::Contains(f));
}

}  // namespace

TEST_CASE("a good plugin loads with all its components") {
  ferry::loader::Registry r;
  auto d = load_one("testkit", r);
  INFO(all_errors(d));
  REQUIRE(d.ok());
  REQUIRE(r.plugins().size() == 1);
  CHECK(r.plugins()[0]->version == "1.0.0");
  CHECK(r.plugins()[0]->abi_major == 1);
  const auto* counter = r.find("testkit.counter");
  REQUIRE(counter);
  CHECK(counter->kind == FERRY_KIND_SOURCE);
  REQUIRE(counter->keys.size() == 6);
  CHECK(r.find("testkit.rogue")->kind == FERRY_KIND_DESTINATION);
  CHECK(counter->keys[0].name == "count");
  CHECK(counter->keys[0].fallback == 0);
  CHECK(r.find("testkit.every")->kind == FERRY_KIND_SCHEDULER);
  CHECK(r.find("testkit.tag")->kind == FERRY_KIND_TRANSFORMER);
  CHECK(r.find("testkit.sink")->kind == FERRY_KIND_DESTINATION);
  CHECK(r.find("testkit.sink")->keys[0].required);
  r.shutdown();
}

TEST_CASE("plugin not found lists what is available") {
  ferry::loader::Registry r;
  require_single_error(load_one("nosuch", r), {"plugin 'nosuch' not found", "no nosuch.so in " + test_plugin_dir().string(),
                                               "available:", "testkit"});
}

TEST_CASE("a library without the entry symbol is not a Ferry plugin") {
  ferry::loader::Registry r;
  require_single_error(load_one("broken_no_entry", r), {file_of("broken_no_entry"), "not a Ferry plugin", "ferry_plugin_entry"});
}

TEST_CASE("ABI major mismatch prints both versions") {
  ferry::loader::Registry r;
  require_single_error(load_one("broken_major", r),
                       {file_of("broken_major"), "built for Ferry plugin ABI 2.0", "this host speaks ABI 1.0", "major"});
}

TEST_CASE("a plugin built for a newer minor is refused with both versions") {
  ferry::loader::Registry r;
  require_single_error(load_one("broken_minor", r),
                       {file_of("broken_minor"), "built for Ferry plugin ABI 1.7", "newer than this host's ABI 1.0"});
}

TEST_CASE("duplicate component types are refused") {
  ferry::loader::Registry r;
  require_single_error(load_one("broken_duplicate", r),
                       {file_of("broken_duplicate"), "duplicate component type 'broken_duplicate.thing'"});
}

TEST_CASE("plugin init failure carries the plugin's own text") {
  ferry::loader::Registry r;
  require_single_error(load_one("broken_init", r),
                       {file_of("broken_init"), "plugin init failed", "license file /etc/ferry/broken.lic is missing"});
  CHECK(r.find("broken_init.thing") == nullptr);
}

TEST_CASE("a plugin that refuses the host is reported") {
  ferry::loader::Registry r;
  require_single_error(load_one("broken_refuse", r), {file_of("broken_refuse"), "refused to load"});
}

TEST_CASE("unresolved symbols fail at load time (RTLD_NOW) with the loader's reason") {
  ferry::loader::Registry r;
  require_single_error(load_one("broken_unresolved", r),
                       {file_of("broken_unresolved"), "cannot load", "ferry_test_symbol_that_does_not_exist"});
}

TEST_CASE("a plugin built against the frozen ABI 1.0 header still loads") {
  ferry::loader::Registry r;
  auto d = load_one("abi10", r);
  INFO(all_errors(d));
  REQUIRE(d.ok());
  CHECK(r.find("abi10.reverse") != nullptr);
}

TEST_CASE("only enabled plugins are loaded - and several errors come together") {
  ferry::loader::Registry r;
  Diagnostics d;
  r.load({"testkit", "nosuch", "broken_major"}, {test_plugin_dir()}, ferry::runtime::host_api(), d);
  INFO(all_errors(d));
  CHECK(d.errors.size() == 2);
  CHECK(d.errors[0].path == "/plugins/1");
  CHECK(d.errors[1].path == "/plugins/2");
  CHECK(r.plugins().size() == 1);
  CHECK(r.find("abi10.reverse") == nullptr);  // present on disk, not enabled
  r.shutdown();
}

TEST_CASE("component types and configs are checked against the loaded plugins") {
  ferry::test::TempDir dir;
  const auto file = dir.write("f.json", R"({
    "engine": {"plugin_dirs": [")" + test_plugin_dir().string() + R"("]},
    "plugins": ["testkit"],
    "channels": [{
      "id": "c",
      "source": {"type": "testkit.sink", "config": {}},
      "transformers": [{"type": "abi10.reverse"}, {"type": "testkit.nothing"}],
      "destinations": [{"id": "d", "type": "testkit.sink", "config": {"retry_first": -1, "colour": 1}},
                       {"id": "e", "type": "testkit.sink", "config": {"path": "p"},
                        "transformers": [{"type": "testkit.tag", "config": {"mode": "sideways"}}]}]
    }]
  })");
  Diagnostics d;
  auto cfg = ferry::config::load_config(file, {}, d);
  REQUIRE(cfg);
  ferry::loader::Registry r;
  r.load(cfg->plugins, cfg->engine.plugin_dirs, ferry::runtime::host_api(), d);
  ferry::runtime::bind_components(*cfg, r, d);
  INFO(all_errors(d));
  using ferry::test::has_error;
  CHECK(has_error(d, "/channels/0/source/type", "'testkit.sink' is a destination, but a source is needed here"));
  CHECK(has_error(d, "/channels/0/transformers/0/type", "plugin 'abi10' is not enabled"));
  CHECK(has_error(d, "/channels/0/transformers/1/type", "unknown transformer type 'testkit.nothing'"));
  CHECK(has_error(d, "/channels/0/transformers/1/type", "enabled plugins provide: testkit.tag"));
  CHECK(has_error(d, "/channels/0/destinations/0/config/path", "required key is missing"));
  CHECK(has_error(d, "/channels/0/destinations/0/config/retry_first", "expected integer >= 0, got -1"));
  CHECK(has_error(d, "/channels/0/destinations/0/config/colour", "unknown key"));
  CHECK(has_error(d, "/channels/0/destinations/1/transformers/0/config/mode", "one of \"append\", \"replace\""));
  CHECK(d.errors.size() == 7);
  r.shutdown();
}
