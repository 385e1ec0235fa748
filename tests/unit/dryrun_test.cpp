// The dry run behind `ferry try` / `ferry test` (real testkit plugins), the
// content type guess, and the unified diff `ferry test` prints.
#include <catch2/catch.hpp>

#include "cli/test_diff.hpp"
#include "config/load.hpp"
#include "dryrun/content_type.hpp"
#include "dryrun/dry_run.hpp"
#include "dryrun/render.hpp"
#include "runtime/binding.hpp"
#include "test_support.hpp"

using ferry::cli::unified_diff;
using ferry::dryrun::guess_content_type;

namespace {

// A config of testkit channels, loaded and bound as `ferry try` does.
struct Loaded {
  ferry::test::TempDir dir;
  std::optional<ferry::config::Config> cfg;
  ferry::loader::Registry registry;

  explicit Loaded(const std::string& channels_json) {
    const std::string text = R"({"engine": {"plugin_dirs": [")" + ferry::test::test_plugin_dir().string() +
                             R"("], "data_dir": ")" + (dir.path() / "var").string() +
                             R"("}, "plugins": ["testkit"], "channels": )" + channels_json + "}";
    ferry::config::Diagnostics d;
    cfg = ferry::config::load_config(dir.write("cfg.json", text), {}, d);
    REQUIRE(cfg);
    registry.load(cfg->plugins, cfg->engine.plugin_dirs, ferry::runtime::host_api(), d);
    ferry::runtime::bind_components(*cfg, registry, d);
    INFO(ferry::test::all_errors(d));
    REQUIRE(d.ok());
  }
  ~Loaded() { registry.shutdown(); }

  ferry::dryrun::Trace run(const std::string& content) {
    ferry::dryrun::DryRun run(*cfg, registry, cfg->channels.at(0));
    std::vector<std::string> errors;
    const bool started = run.start(errors);
    INFO((errors.empty() ? std::string() : errors[0]));
    REQUIRE(started);
    return run.run({content, "text/plain", {{"from", "test"}}});
  }
};

const char* const kChannel = R"([{"id": "c", "source": {"type": "testkit.counter", "config": {"count": 1}},
    "transformers": [
      {"type": "testkit.tag", "config": {"key": "k", "value": "v", "suffix": "!"}},
      {"type": "testkit.tag", "config": {"filter_if": "drop", "fail_if": "boom", "key": "k2"}}],
    "destinations": [
      {"id": "a", "type": "testkit.sink", "config": {"path": "/nonexistent/a.txt"},
       "transformers": [{"type": "testkit.tag", "config": {"suffix": "A", "filter_if": "skip-a"}}]},
      {"id": "b", "type": "testkit.sink", "config": {"path": "/nonexistent/b.txt"}}]}])";

}  // namespace

TEST_CASE("dry run records every step and gives each destination its own copy") {
  Loaded l(kChannel);
  const auto t = l.run("hello");
  REQUIRE(t.channel.status == FERRY_OK);
  REQUIRE(t.channel_steps.size() == 2);
  CHECK(t.channel_steps[0].name == "transformer 0");
  CHECK(t.channel_steps[0].type == "testkit.tag");
  CHECK(t.channel_steps[0].after.content == "hello!");
  CHECK(t.channel_steps[1].after.meta == ferry::dryrun::Meta{{"from", "test"}, {"k", "v"}, {"k2", "yes"}});
  REQUIRE(t.destinations.size() == 2);
  CHECK(t.destinations[0].reached);
  CHECK(t.destinations[0].steps.at(0).name == "destination a transformer 0");
  CHECK(t.destinations[0].received.content == "hello!A");
  // b has no transformers: it gets the channel's result, untouched by a's.
  CHECK(t.destinations[1].received.content == "hello!");
  CHECK(t.destinations[1].received.content_type == "text/plain");
  // No store: nothing was created in data_dir.
  CHECK_FALSE(std::filesystem::exists(l.dir.path() / "var"));
}

TEST_CASE("dry run outcomes read like the runtime's stored errors") {
  Loaded l(kChannel);
  auto t = l.run("please drop this");
  CHECK(t.channel.status == FERRY_FILTERED);
  CHECK(t.channel.text == "transformer 1 (testkit.tag): content contains 'drop'");
  CHECK(t.channel_steps.size() == 2);
  CHECK_FALSE(t.destinations[0].reached);
  CHECK_FALSE(t.destinations[1].reached);

  t = l.run("boom");
  CHECK(t.channel.status == FERRY_ERROR);
  CHECK(t.channel.text == "transformer 1 (testkit.tag): content contains 'boom'");
  CHECK(t.channel_steps.back().reason == "content contains 'boom'");

  t = l.run("skip-a");
  CHECK(t.channel.status == FERRY_OK);
  CHECK(t.destinations[0].outcome.status == FERRY_FILTERED);
  CHECK(t.destinations[0].outcome.text == "destination a transformer 0 (testkit.tag): content contains 'skip-a'");
  CHECK(t.destinations[1].outcome.status == FERRY_OK);
}

TEST_CASE("content type guess") {
  CHECK(guess_content_type("MSH|^~\\&|A") == "application/hl7-v2");
  CHECK(guess_content_type("\xEF\xBB\xBFMSH|^~\\&|A") == "application/hl7-v2");
  CHECK(guess_content_type("FHS|^~\\&") == "application/hl7-v2");
  CHECK(guess_content_type("MSH") == "text/plain");
  CHECK(guess_content_type(" {\"a\": [1, 2]}\n") == "application/json");
  CHECK(guess_content_type("[1, 2") == "text/plain");
  CHECK(guess_content_type("42") == "text/plain");
  CHECK(guess_content_type("") == "text/plain");
}

TEST_CASE("unified diff of equal texts is empty") { CHECK(unified_diff("a\nb\n", "a\nb\n", "x", "y").empty()); }

TEST_CASE("unified diff shows a change with three lines of context") {
  const std::string a = "1\n2\n3\n4\n5\n6\n7\n8\n9\n";
  const std::string b = "1\n2\n3\n4\nFIVE\n6\n7\n8\n9\n";
  CHECK(unified_diff(a, b, "want", "got") ==
        "--- want\n+++ got\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+FIVE\n 6\n 7\n 8\n");
}

TEST_CASE("unified diff splits far apart changes into hunks") {
  std::string a, b;
  for (int i = 1; i <= 20; ++i) {
    a += std::to_string(i) + "\n";
    b += (i == 2 ? std::string("two") : i == 18 ? std::string("eighteen") : std::to_string(i)) + "\n";
  }
  CHECK(unified_diff(a, b, "a", "b") ==
        "--- a\n+++ b\n@@ -1,5 +1,5 @@\n 1\n-2\n+two\n 3\n 4\n 5\n"
        "@@ -15,6 +15,6 @@\n 15\n 16\n 17\n-18\n+eighteen\n 19\n 20\n");
}

TEST_CASE("unified diff of insertions and deletions") {
  CHECK(unified_diff("", "x\n", "a", "b") == "--- a\n+++ b\n@@ -0,0 +1,1 @@\n+x\n");
  CHECK(unified_diff("a\nb\nc\n", "a\nc\n", "a", "b") == "--- a\n+++ b\n@@ -1,3 +1,2 @@\n a\n-b\n c\n");
}

TEST_CASE("unified diff makes different line endings visible") {
  const std::string d = unified_diff("MSH|1\rPID|2\r", "MSH|1\nPID|2\n", "a", "b");
  CHECK(d.find("(the line endings differ: expected 2 lines ending in CR; actual 2 lines ending in LF)") !=
        std::string::npos);
  CHECK(d.find("-MSH|1\\r\n-PID|2\\r\n+MSH|1\\n\n+PID|2\\n\n") != std::string::npos);
  // A missing final line break shows too.
  CHECK(unified_diff("a\n", "a", "x", "y").find("-a\\n\n+a\n") != std::string::npos);
}

TEST_CASE("split lines at CR, LF and CRLF") {
  const auto lines = ferry::dryrun::split_lines("a\rb\r\nc\nd");
  REQUIRE(lines.size() == 4);
  CHECK(lines[0].text == "a");
  CHECK(lines[0].end == "\r");
  CHECK(lines[1].end == "\r\n");
  CHECK(lines[2].end == "\n");
  CHECK(lines[3].text == "d");
  CHECK(lines[3].end.empty());
  CHECK(ferry::dryrun::visible("a\x01\tb") == "a\\x01\tb");
}
