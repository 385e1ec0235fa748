// The engine running real plugins (testkit, abi10) on real threads.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <future>
#include <sstream>
#include <thread>

#include "config/load.hpp"
#include "loader/registry.hpp"
#include "runtime/binding.hpp"
#include "runtime/channel.hpp"
#include "runtime/engine.hpp"
#include "runtime/objects.hpp"
#include "store/admin.hpp"
#include "store/records.hpp"
#include "test_support.hpp"

using ferry::test::all_errors;

namespace {

// A config, its plugins and a running engine, torn down in order.
struct Running {
  ferry::test::TempDir dir;
  std::optional<ferry::config::Config> cfg;
  ferry::loader::Registry registry;
  std::unique_ptr<ferry::runtime::Engine> engine;

  explicit Running(const std::string& channels_json, const std::string& engine_extra = "") {
    const std::string text = R"({"engine": {"plugin_dirs": [")" + ferry::test::test_plugin_dir().string() +
                             R"("], "workers": 2, "data_dir": "@DIR@/var")" + engine_extra + R"(}, "plugins": ["testkit", "abi10"], "channels": )" +
                             channels_json + "}";
    ferry::config::Diagnostics d;
    cfg = ferry::config::load_config(dir.write("cfg.json", replace_dir(text)), {}, d);
    REQUIRE(cfg);
    registry.load(cfg->plugins, cfg->engine.plugin_dirs, ferry::runtime::host_api(), d);
    ferry::runtime::bind_components(*cfg, registry, d);
    INFO(all_errors(d));
    REQUIRE(d.ok());
    engine = std::make_unique<ferry::runtime::Engine>(*cfg, registry);
    std::vector<std::string> errors;
    const bool started = engine->start(errors);
    INFO((errors.empty() ? std::string() : errors[0]));
    REQUIRE(started);
  }
  ~Running() {
    stop();
    registry.shutdown();
  }
  void stop() {
    if (engine) engine->stop();
  }
  // "@DIR@" in the JSON stands for the temp folder.
  std::string replace_dir(std::string s) const {
    for (size_t p; (p = s.find("@DIR@")) != std::string::npos;) s.replace(p, 5, dir.path().string());
    return s;
  }
  std::vector<std::string> lines(const std::string& name) const {
    std::istringstream in(dir.read(name));
    std::vector<std::string> out;
    for (std::string l; std::getline(in, l);) out.push_back(l);
    return out;
  }
  bool wait_lines(const std::string& name, size_t n, int seconds = 10) const {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    while (std::chrono::steady_clock::now() < deadline) {
      if (lines(name).size() >= n) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
  }
  const ferry::runtime::Channel& channel(size_t i = 0) const { return *engine->channels().at(i); }
};

std::vector<std::string> numbered(const std::string& prefix, int n, const std::string& suffix = "") {
  std::vector<std::string> out;
  for (int i = 1; i <= n; ++i) out.push_back(prefix + std::to_string(i) + suffix);
  return out;
}

}  // namespace

TEST_CASE("source -> transformer -> two destinations - in order - with metadata") {
  Running r(R"([{"id": "c", "source": {"type": "testkit.counter", "config": {"count": 20, "interval_ms": 1}},
      "transformers": [{"type": "testkit.tag", "config": {"key": "k", "value": "v", "suffix": "!"}}],
      "destinations": [
        {"id": "a", "type": "testkit.sink", "config": {"path": "@DIR@/a.txt"}},
        {"id": "b", "type": "testkit.sink", "config": {"path": "@DIR@/b.txt", "with_meta": true}}]}])");
  REQUIRE(r.wait_lines("a.txt", 20));
  REQUIRE(r.wait_lines("b.txt", 20));
  r.stop();
  CHECK(r.lines("a.txt") == numbered("msg-", 20, "!"));
  CHECK(r.lines("b.txt")[4] == "msg-5!|seq=5;k=v;");
  CHECK(r.channel().stats().received == 20);
  CHECK(r.channel().destinations()[0]->stats().sent == 20);
}

TEST_CASE("filtered and failed messages are counted and not delivered") {
  Running r(R"([{"id": "c", "source": {"type": "testkit.counter", "config": {"count": 5, "interval_ms": 1, "prefix": "m"}},
      "transformers": [{"type": "testkit.tag", "config": {"filter_if": "3", "fail_if": "4"}}],
      "destinations": [{"id": "a", "type": "testkit.sink", "config": {"path": "@DIR@/a.txt"},
                        "transformers": [{"type": "testkit.tag", "config": {"filter_if": "5"}}]}]}])");
  REQUIRE(r.wait_lines("a.txt", 2));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  r.stop();
  CHECK(r.lines("a.txt") == std::vector<std::string>{"m1", "m2"});
  CHECK(r.channel().stats().received == 5);
  CHECK(r.channel().stats().filtered == 1);
  CHECK(r.channel().stats().errored == 1);
  CHECK(r.channel().destinations()[0]->stats().filtered == 1);
  CHECK(r.channel().destinations()[0]->stats().sent == 2);
}

TEST_CASE("retry later keeps FIFO order and eventually delivers") {
  Running r(R"([{"id": "c", "source": {"type": "testkit.counter", "config": {"count": 10, "interval_ms": 1}},
      "destinations": [{"id": "a", "type": "testkit.sink", "config": {"path": "@DIR@/a.txt", "retry_first": 3},
                        "retry": {"backoff": "fixed", "initial_ms": 20, "jitter": 0}}]}])");
  REQUIRE(r.wait_lines("a.txt", 10));
  r.stop();
  CHECK(r.lines("a.txt") == numbered("msg-", 10));
  CHECK(r.channel().destinations()[0]->stats().retries == 3);
}

TEST_CASE("a destination that keeps failing does not block the others") {
  Running r(R"([{"id": "c", "source": {"type": "testkit.counter", "config": {"count": 10, "interval_ms": 1}},
      "destinations": [
        {"id": "down", "type": "testkit.sink", "config": {"path": "@DIR@/down.txt", "retry_first": 1000000},
         "retry": {"backoff": "fixed", "initial_ms": 10}},
        {"id": "up", "type": "testkit.sink", "config": {"path": "@DIR@/up.txt"}}]}])",
            R"(, "shutdown_timeout_ms": 100)");
  REQUIRE(r.wait_lines("up.txt", 10));
  r.stop();
  CHECK(r.lines("down.txt").empty());
  CHECK(r.channel().destinations()[0]->stats().sent == 0);
  CHECK(r.channel().destinations()[0]->stats().retries > 0);
}

TEST_CASE("a scheduler plugin drives the source's poll") {
  Running r(R"([{"id": "c", "source": {"type": "testkit.counter", "config": {"count": 0},
        "schedule": {"type": "testkit.every", "config": {"interval_ms": 10, "limit": 4}}},
      "destinations": [{"id": "a", "type": "testkit.sink", "config": {"path": "@DIR@/a.txt"}}]}])");
  REQUIRE(r.wait_lines("a.txt", 4));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // the schedule ended: no fifth
  r.stop();
  CHECK(r.lines("a.txt") == numbered("msg-", 4));
}

TEST_CASE("a plugin built against the frozen 1.0 header runs in the current host") {
  Running r(R"([{"id": "c", "source": {"type": "testkit.counter", "config": {"count": 2, "prefix": "abc-"}},
      "transformers": [{"type": "abi10.reverse"}],
      "destinations": [{"id": "a", "type": "testkit.sink", "config": {"path": "@DIR@/a.txt", "with_meta": true}}]}])");
  REQUIRE(r.wait_lines("a.txt", 2));
  r.stop();
  CHECK(r.lines("a.txt") == std::vector<std::string>{"1-cba|seq=1;abi=1.0;", "2-cba|seq=2;abi=1.0;"});
}

TEST_CASE("graceful stop keeps what was not delivered and the next run delivers it") {
  ferry::test::TempDir shared;
  const std::string channel = R"([{"id": "c", "source": {"type": "testkit.counter", "config": {"count": COUNT, "interval_ms": 1}},
      "destinations": [{"id": "a", "type": "testkit.sink", "config": {"path": "OUT", "retry_first": 2},
                        "retry": {"backoff": "fixed", "initial_ms": 30, "jitter": 0}}]}])";
  auto with = [&](const std::string& count) {
    std::string s = channel;
    s.replace(s.find("COUNT"), 5, count);
    s.replace(s.find("OUT"), 3, (shared.path() / "a.txt").string());
    return s;
  };
  const std::string engine = R"(, "data_dir": ")" + (shared.path() / "var").string() + "\"";
  uint64_t received = 0;
  {
    Running r(with("200"), engine);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    r.stop();
    received = r.channel().stats().received.load();
    CHECK(received > 0);
  }
  {
    Running r(with("0"), engine);  // nothing new: only what the store kept
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline && shared.read("a.txt").empty()) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    std::vector<std::string> lines;
    for (int i = 0; i < 500; ++i) {
      std::istringstream in(shared.read("a.txt"));
      lines.clear();
      for (std::string l; std::getline(in, l);) lines.push_back(l);
      if (lines.size() >= received) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    r.stop();
    CHECK(lines == numbered("msg-", static_cast<int>(received)));
  }
}

TEST_CASE("messages an older version stored as received are transformed and delivered at start") {
  // Before one write per message, Ferry stored a message first and ran the
  // transformers after; a stop in between left it "received".
  ferry::test::TempDir shared;
  {
    auto store = ferry::store::Store::open({shared.path() / "var" / "ferry.db", ferry::store::Durability::disk, 100});
    for (int i = 1; i <= 3; ++i) {
      std::promise<bool> committed;
      ferry::store::NewMessage m;
      m.channel = "c";
      m.content_type = "text/plain";
      m.content = "old-" + std::to_string(i);
      REQUIRE(store->submit(ferry::store::insert_message(
          std::move(m), [&](const ferry::store::Inserted& in) { committed.set_value(in.ok); })));
      REQUIRE(committed.get_future().get());
    }
  }
  Running r(R"([{"id": "c", "source": {"type": "testkit.counter", "config": {"count": 0}},
      "transformers": [{"type": "testkit.tag", "config": {"suffix": "!"}}],
      "destinations": [{"id": "a", "type": "testkit.sink", "config": {"path": "@DIR@/a.txt"}}]}])",
            R"(, "data_dir": ")" + (shared.path() / "var").string() + "\"");
  REQUIRE(r.wait_lines("a.txt", 3));
  r.stop();
  CHECK(r.lines("a.txt") == std::vector<std::string>{"old-1!", "old-2!", "old-3!"});
}

TEST_CASE("disabled channels do not run") {
  Running r(R"([{"id": "c", "enabled": false, "source": {"type": "testkit.counter", "config": {"count": 3}},
      "destinations": [{"id": "a", "type": "testkit.sink", "config": {"path": "@DIR@/a.txt"}}]}])");
  CHECK(r.engine->channels().empty());
}

TEST_CASE("response when=stored answers every stored message - when=transformed reports filtering") {
  for (const std::string when : {"stored", "transformed"}) {
    Running r(R"([{"id": "c", "response": {"when": ")" + when + R"("},
        "source": {"type": "testkit.counter", "config": {"count": 5, "interval_ms": 1, "ack_log": "@DIR@/acked.txt"}},
        "transformers": [{"type": "testkit.tag", "config": {"filter_if": "msg-3"}}],
        "destinations": [{"id": "a", "type": "testkit.sink", "config": {"path": "@DIR@/a.txt"}}]}])");
    REQUIRE(r.wait_lines("a.txt", 4));
    REQUIRE(r.wait_lines("acked.txt", 4));
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    r.stop();
    INFO(when);
    CHECK(r.lines("acked.txt").size() == (when == "stored" ? 5 : 4));
  }
}

TEST_CASE("response when=delivered waits for the destinations and can carry one's response") {
  Running r(R"([{"id": "c", "response": {"when": "delivered", "from": "a"},
      "source": {"type": "testkit.counter", "config": {"count": 3, "interval_ms": 1, "ack_log": "@DIR@/acked.txt"}},
      "destinations": [{"id": "a", "type": "testkit.sink", "config": {"path": "@DIR@/a.txt"}},
                       {"id": "b", "type": "testkit.sink", "config": {"path": "@DIR@/b.txt"}}]}])");
  REQUIRE(r.wait_lines("acked.txt", 3));
  r.stop();
  CHECK(r.lines("acked.txt") == std::vector<std::string>{"msg-1|written", "msg-2|written", "msg-3|written"});
}

TEST_CASE("response when=delivered does not answer OK while a destination fails") {
  Running r(R"([{"id": "c", "response": {"when": "delivered"},
      "source": {"type": "testkit.counter", "config": {"count": 3, "interval_ms": 1, "ack_log": "@DIR@/acked.txt"}},
      "destinations": [{"id": "a", "type": "testkit.sink", "config": {"path": "@DIR@/a.txt", "retry_first": 1000},
                        "retry": {"backoff": "fixed", "initial_ms": 10}}]}])");
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  CHECK(r.channel().stats().received == 3);  // stored...
  CHECK(r.lines("acked.txt").empty());       // ...but not reported delivered
  r.stop();
}

TEST_CASE("response when=delivered waits through retries for the final outcome") {
  Running r(R"([{"id": "c", "response": {"when": "delivered"},
      "source": {"type": "testkit.counter", "config": {"count": 2, "interval_ms": 1, "ack_log": "@DIR@/acked.txt"}},
      "destinations": [{"id": "a", "type": "testkit.sink", "config": {"path": "@DIR@/a.txt", "retry_first": 2},
                        "retry": {"backoff": "fixed", "initial_ms": 20, "jitter": 0}}]}])");
  REQUIRE(r.wait_lines("acked.txt", 2));
  r.stop();
  CHECK(r.lines("a.txt") == numbered("msg-", 2));  // delivered before the source was answered
  CHECK(r.lines("acked.txt") == numbered("msg-", 2));
}

TEST_CASE("response when=delivered answers OK after timeout_ms while delivery is pending") {
  Running r(R"([{"id": "c", "response": {"when": "delivered", "timeout_ms": 200},
      "source": {"type": "testkit.counter", "config": {"count": 1, "ack_log": "@DIR@/acked.txt"}},
      "destinations": [{"id": "a", "type": "testkit.sink", "config": {"path": "@DIR@/a.txt", "retry_first": 1000},
                        "retry": {"backoff": "fixed", "initial_ms": 10}}]}])",
            R"(, "command_poll_ms": 20)");
  REQUIRE(r.wait_lines("acked.txt", 1, 5));
  r.stop();
  CHECK(r.lines("a.txt").empty());
}

TEST_CASE("a long backlog stays on disk - memory holds only the queue window") {
  Running r(R"([{"id": "c", "source": {"type": "testkit.counter", "config": {"count": 200, "interval_ms": 1}},
      "destinations": [{"id": "a", "type": "testkit.sink", "config": {"path": "@DIR@/a.txt", "retry_first": 3},
                        "retry": {"backoff": "fixed", "initial_ms": 150, "jitter": 0}}]}])",
            R"(, "queue_window": 5)");
  size_t peak = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (r.lines("a.txt").size() < 200 && std::chrono::steady_clock::now() < deadline) {
    peak = std::max(peak, r.channel().destinations()[0]->in_memory());
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  r.stop();
  CHECK(peak <= 5);
  CHECK(r.lines("a.txt") == numbered("msg-", 200));
}

TEST_CASE("invalid response policies are config errors") {
  ferry::test::TempDir dir;
  ferry::config::Diagnostics d;
  ferry::config::load_config(dir.write("c.json", R"({"plugins": [], "channels": [
      {"id": "a", "response": {"from": "nope"}, "source": {"type": "x.y"}, "destinations": [{"id": "d", "type": "x.z"}]},
      {"id": "b", "response": {"from": "d", "when": "stored"}, "source": {"type": "x.y"}, "destinations": [{"id": "d", "type": "x.z"}]},
      {"id": "c", "response": {"when": "later"}, "storage": "everything", "source": {"type": "x.y"}, "destinations": [{"id": "d", "type": "x.z"}]}]})"),
                             {}, d);
  INFO(all_errors(d));
  using ferry::test::has_error;
  CHECK(has_error(d, "/channels/0/response/from", "neither \"auto\" nor a destination id"));
  CHECK(has_error(d, "/channels/1/response/when", "needs \"when\": \"delivered\""));
  CHECK(has_error(d, "/channels/2/response/when", "one of \"stored\", \"transformed\", \"delivered\""));
  CHECK(has_error(d, "/channels/2/storage", "one of \"all\", \"raw\", \"metadata\""));
}

TEST_CASE("a plugin that completes a delivery twice is contained") {
  Running r(R"([{"id": "c", "source": {"type": "testkit.counter", "config": {"count": 5, "interval_ms": 1}},
      "destinations": [{"id": "rogue", "type": "testkit.rogue"},
                       {"id": "a", "type": "testkit.sink", "config": {"path": "@DIR@/a.txt"}}]}])");
  REQUIRE(r.wait_lines("a.txt", 5));
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (r.channel().destinations()[0]->stats().sent < 5 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  r.stop();
  CHECK(r.channel().destinations()[0]->stats().sent == 5);
  CHECK(r.channel().destinations()[0]->stats().errored == 0);
}

TEST_CASE("queue order rotate lets later messages pass one that keeps failing - fifo holds them") {
  for (const std::string order : {"rotate", "fifo"}) {
    Running r(R"([{"id": "c", "source": {"type": "testkit.counter", "config": {"count": 5, "interval_ms": 1}},
        "destinations": [{"id": "a", "type": "testkit.sink", "config": {"path": "@DIR@/a.txt", "retry_if": "msg-2"},
                          "queue": {"order": ")" + order + R"("},
                          "retry": {"backoff": "fixed", "initial_ms": 20, "jitter": 0}}]}])");
    INFO(order);
    if (order == "rotate") {
      REQUIRE(r.wait_lines("a.txt", 4));
      r.stop();
      CHECK(r.lines("a.txt") == std::vector<std::string>{"msg-1", "msg-3", "msg-4", "msg-5"});
      CHECK(r.channel().destinations()[0]->stats().retries > 0);
    } else {
      REQUIRE(r.wait_lines("a.txt", 1));
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      r.stop();
      CHECK(r.lines("a.txt") == std::vector<std::string>{"msg-1"});
    }
  }
}

TEST_CASE("a source's dedupe_key stores a message once and answers repeats with the first id") {
  Running r(R"([{"id": "c", "source": {"type": "testkit.counter",
                  "config": {"count": 6, "interval_ms": 1, "dedupe_modulo": 3, "ack_log": "@DIR@/acked.txt"}},
      "destinations": [{"id": "a", "type": "testkit.sink", "config": {"path": "@DIR@/a.txt"}}]}])");
  REQUIRE(r.wait_lines("acked.txt", 6));
  REQUIRE(r.wait_lines("a.txt", 3));
  REQUIRE(r.engine->store().submit(ferry::store::Write{}));  // counters go with the next commit
  r.engine->store().flush();
  const auto stats = r.engine->store().read([](ferry::store::Database& db) { return ferry::store::read_stats(db); });
  const auto channel_row = std::find_if(stats.begin(), stats.end(), [](const auto& s) { return s.destination.empty(); });
  REQUIRE(channel_row != stats.end());
  CHECK(channel_row->received == 3);
  CHECK(channel_row->duplicates == 3);
  r.stop();
  CHECK(r.lines("a.txt") == numbered("msg-", 3));
  auto acked = r.lines("acked.txt");  // completions may run on several threads
  std::sort(acked.begin(), acked.end());
  CHECK(acked == std::vector<std::string>{"msg-1 id=1 ", "msg-2 id=2 ", "msg-3 id=3 ", "msg-4 id=1 duplicate of message 1",
                                          "msg-5 id=2 duplicate of message 2", "msg-6 id=3 duplicate of message 3"});
}
