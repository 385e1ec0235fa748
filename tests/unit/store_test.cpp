// The SQLite store on real files: migrations, group commit, failures.
#include <catch2/catch.hpp>

#include <future>
#include <set>
#include <thread>

#include "store/admin.hpp"
#include "store/records.hpp"
#include "store/schema.hpp"
#include "store/store.hpp"
#include "test_support.hpp"

using namespace ferry::store;

namespace {

Inserted insert_keyed(Store& s, const std::string& channel, const std::string& content,
                      std::optional<std::string> dedupe_key) {
  std::promise<Inserted> result;
  NewMessage m;
  m.channel = channel;
  m.content_type = "text/plain";
  m.content = content;
  m.meta = {{"k", "v"}};
  m.dedupe_key = std::move(dedupe_key);
  REQUIRE(s.submit(insert_message(std::move(m), [&](const Inserted& r) { result.set_value(r); })));
  return result.get_future().get();
}

int64_t insert_sync(Store& s, const std::string& channel, const std::string& content) {
  const Inserted r = insert_keyed(s, channel, content, std::nullopt);
  return r.ok ? r.id : -1;
}

}  // namespace

TEST_CASE("a new store is created at the current schema version") {
  ferry::test::TempDir dir;
  auto s = Store::open({dir.path() / "var" / "ferry.db", Durability::disk, 100});
  const int version = s->read([](Database& db) { return schema_version(db); });
  CHECK(version == kSchemaVersion);
}

TEST_CASE("a store written by an older version opens and keeps its data") {
  ferry::test::TempDir dir;
  const auto file = dir.path() / "ferry.db";
  {
    Database db(file.string(), true);
    migrate(db, 1);  // as Ferry with schema 1 left it
    db.exec("INSERT INTO messages (channel, received_at, status, raw, updated_at) VALUES ('old', 1, 'transformed', 'x', 1)");
    db.exec("INSERT INTO deliveries (message_id, channel, destination, status, updated_at) VALUES (1, 'old', 'd', 'queued', 1)");
  }
  auto s = Store::open({file, Durability::disk, 100});
  CHECK(s->read([](Database& db) { return schema_version(db); }) == kSchemaVersion);
  const auto queued = s->read([](Database& db) { return load_queue(db, "old", "d", 0, 10); });
  REQUIRE(queued.size() == 1);
  CHECK(queued[0].content == "x");
  // ...and the tables added later work.
  s->read([](Database& db) { add_command(db, "resend", 1, {}); return 0; });
  CHECK(s->read([](Database& db) { return pending_commands(db, 10).size(); }) == 1);
}

TEST_CASE("a store from a newer Ferry is refused with a clear error") {
  ferry::test::TempDir dir;
  const auto file = dir.path() / "ferry.db";
  {
    Database db(file.string(), true);
    db.exec("PRAGMA user_version = 99");
  }
  CHECK_THROWS_WITH(Store::open({file, Durability::disk, 100}),
                    Catch::Contains(file.string()) && Catch::Contains("newer than this Ferry supports"));
}

TEST_CASE("a file that is not a database is refused, naming the file") {
  ferry::test::TempDir dir;
  const auto file = dir.write("ferry.db", std::string(4096, 'z'));
  CHECK_THROWS_WITH(Store::open({file, Durability::disk, 100}),
                    Catch::Contains(file.string()) && Catch::Contains("not a database"));
}

TEST_CASE("concurrent inserts are group-committed and all get distinct ids") {
  ferry::test::TempDir dir;
  auto s = Store::open({dir.path() / "ferry.db", Durability::disk, 100000});
  std::vector<std::thread> threads;
  std::mutex m;
  std::set<int64_t> ids;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 250; ++i) {
        const int64_t id = insert_sync(*s, "c", "t" + std::to_string(t) + "-" + std::to_string(i));
        std::lock_guard lock(m);
        ids.insert(id);
      }
    });
  for (auto& t : threads) t.join();
  CHECK(ids.size() == 1000);
  CHECK(*ids.begin() > 0);
  const auto rows = s->read([](Database& db) { return load_received(db, "c", 0, 2000); });
  CHECK(rows.size() == 1000);
  CHECK(rows[0].meta == Metadata{{"k", "v"}});
}

TEST_CASE("admissions beyond the limit are refused (backpressure)") {
  ferry::test::TempDir dir;
  auto s = Store::open({dir.path() / "ferry.db", Durability::disk, 2});
  std::promise<void> gate;
  auto gate_future = gate.get_future().share();
  // Hold the writer inside a transaction so queued admissions pile up.
  Write blocker;
  blocker.apply = [gate_future](Statements&) { gate_future.wait(); };
  REQUIRE(s->submit(std::move(blocker)));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  int accepted = 0;
  for (int i = 0; i < 5; ++i)
    if (s->submit(insert_message(NewMessage{}, [](const Inserted&) {}))) ++accepted;
  CHECK(accepted == 2);
  gate.set_value();
  s->flush();
}

TEST_CASE("transform and attempt records follow the storage level") {
  ferry::test::TempDir dir;
  auto s = Store::open({dir.path() / "ferry.db", Durability::process, 100});
  const int64_t id = insert_sync(*s, "c", "raw content");
  TransformResult t;
  t.id = id;
  t.channel = "c";
  t.status = "transformed";
  t.content = "new content";
  t.content_type = "application/json";
  t.destinations = {"d1", "d2"};
  t.level = Level::metadata;
  s->submit(record_transform(t, nullptr));
  s->flush();
  auto q = s->read([](Database& db) { return load_queue(db, "c", "d1", 0, 10); });
  REQUIRE(q.size() == 1);
  CHECK(q[0].content == "new content");
  CHECK(q[0].content_type == "application/json");

  AttemptResult a;
  a.id = id;
  a.channel = "c";
  a.destination = "d1";
  a.status = "sent";
  a.attempts = 1;
  a.response = "ACK";
  a.level = Level::metadata;
  s->submit(record_attempt(a, nullptr));
  s->flush();
  // d2 still needs the content: nothing pruned yet.
  auto m = s->read([&](Database& db) { return find_message(db, id); });
  REQUIRE(m);
  CHECK(m->raw == std::optional<std::string>("raw content"));
  CHECK(m->overall == "queued");
  a.destination = "d2";
  s->submit(record_attempt(a, nullptr));
  s->flush();
  m = s->read([&](Database& db) { return find_message(db, id); });
  CHECK_FALSE(m->raw);
  CHECK_FALSE(m->transformed);
  CHECK(m->overall == "sent");
  CHECK_FALSE(m->deliveries[0].response);  // responses only at level "all"
}

TEST_CASE("retention never deletes queued messages") {
  ferry::test::TempDir dir;
  auto s = Store::open({dir.path() / "ferry.db", Durability::process, 100});
  std::vector<int64_t> ids;
  for (int i = 0; i < 6; ++i) {
    ids.push_back(insert_sync(*s, "c", "m" + std::to_string(i)));
    TransformResult t;
    t.id = ids.back();
    t.channel = "c";
    t.status = "transformed";
    t.destinations = {"d"};
    s->submit(record_transform(t, nullptr));
    if (i != 1) {  // message 1 stays queued
      AttemptResult a;
      a.id = ids.back();
      a.channel = "c";
      a.destination = "d";
      a.status = "sent";
      a.attempts = 1;
      s->submit(record_attempt(a, nullptr));
    }
  }
  s->flush();
  std::promise<size_t> deleted;
  s->submit(prune("c", 0, 2, 100, [&](size_t n) { deleted.set_value(n); }));
  CHECK(deleted.get_future().get() == 3);  // 0, 2, 3 (1 is queued; 4, 5 are kept)
  const auto rows = s->read([](Database& db) {
    MessageQuery q;
    q.channel = "c";
    return list_messages(db, q);
  });
  std::vector<int64_t> left;
  for (const auto& r : rows) left.push_back(r.id);
  CHECK(left == std::vector<int64_t>{ids[5], ids[4], ids[1]});
}

TEST_CASE("a dedupe key is stored once per channel and answers with the first id") {
  ferry::test::TempDir dir;
  auto s = Store::open({dir.path() / "ferry.db", Durability::disk, 100});
  const Inserted first = insert_keyed(*s, "mail", "a", std::string("<m1@host>"));
  REQUIRE(first.ok);
  CHECK_FALSE(first.duplicate);
  const Inserted again = insert_keyed(*s, "mail", "a, sent twice", std::string("<m1@host>"));
  CHECK(again.ok);
  CHECK(again.duplicate);
  CHECK(again.id == first.id);
  // Another key, another channel, or no key: new messages.
  CHECK_FALSE(insert_keyed(*s, "mail", "b", std::string("<m2@host>")).duplicate);
  CHECK_FALSE(insert_keyed(*s, "other", "a", std::string("<m1@host>")).duplicate);
  CHECK_FALSE(insert_keyed(*s, "mail", "c", std::nullopt).duplicate);
  CHECK_FALSE(insert_keyed(*s, "mail", "c", std::nullopt).duplicate);
  const int64_t rows = s->read([](Database& db) {
    auto st = db.prepare("SELECT count(*) FROM messages");
    st.step();
    return st.integer(0);
  });
  CHECK(rows == 5);
}

TEST_CASE("a schedule's last fire time survives reopening the store") {
  ferry::test::TempDir dir;
  const auto file = dir.path() / "ferry.db";
  {
    auto s = Store::open({file, Durability::disk, 100});
    CHECK_FALSE(s->read([](Database& db) { return last_fire(db, "nightly"); }));
    REQUIRE(s->submit(record_fire("nightly", 1000)));
    REQUIRE(s->submit(record_fire("nightly", 2000)));
    s->flush();
  }
  auto s = Store::open({file, Durability::disk, 100});
  CHECK(s->read([](Database& db) { return last_fire(db, "nightly"); }) == std::optional<int64_t>(2000));
}

TEST_CASE("metadata JSON is the same on the plain fast path and the escaping path") {
  const Metadata plain = {{"MSH-10", "CTRL42"}, {"source", "mllp 127.0.0.1:5000"}, {"empty", ""}};
  CHECK(encode_metadata(plain) == R"({"MSH-10":"CTRL42","source":"mllp 127.0.0.1:5000","empty":""})");
  CHECK(decode_metadata(encode_metadata(plain)) == plain);
  const Metadata escaped = {{"q\"uote", "back\\slash"}, {"nl", "a\nb"}, {"utf8", "Müller"}, {"bad", "\xff"}};
  const Metadata back = decode_metadata(encode_metadata(escaped));
  REQUIRE(back.size() == 4);
  CHECK(back[0] == escaped[0]);
  CHECK(back[1] == escaped[1]);
  CHECK(back[2] == escaped[2]);
  CHECK(back[3].second == "\xEF\xBF\xBD");  // invalid UTF-8 replaced, not refused
  CHECK(encode_metadata({}) == "{}");
}

TEST_CASE("a routed insert stores the transformers' outcome with the message in one write") {
  ferry::test::TempDir dir;
  auto s = Store::open({dir.path() / "ferry.db", Durability::disk, 100});
  auto insert = [&](NewMessage m) {
    std::promise<Inserted> result;
    m.channel = "c";
    m.content_type = "application/hl7-v2";
    m.routed = true;
    REQUIRE(s->submit(insert_message(std::move(m), [&](const Inserted& r) { result.set_value(r); })));
    const Inserted r = result.get_future().get();
    REQUIRE(r.ok);
    return *s->read([&](Database& db) { return find_message(db, r.id); });
  };

  NewMessage changed;
  changed.content = "MSH|raw";
  changed.transformed = "{\"json\": 1}";
  changed.transformed_type = "application/json";
  changed.meta = {{"k", "after"}};
  changed.destinations = {"out"};
  const MessageRecord a = insert(std::move(changed));
  CHECK(a.status == "transformed");
  CHECK(a.raw == "MSH|raw");
  CHECK(a.transformed == "{\"json\": 1}");
  CHECK(a.transformed_type == "application/json");
  CHECK(a.meta == Metadata{{"k", "after"}});
  REQUIRE(a.deliveries.size() == 1);
  CHECK(a.deliveries[0].status == "queued");

  NewMessage same;  // unchanged content is kept once and reads back as both
  same.content = "MSH|same";
  const MessageRecord b = insert(std::move(same));
  CHECK(b.raw == "MSH|same");
  CHECK(b.transformed == "MSH|same");
  CHECK(b.deliveries.empty());

  NewMessage filtered;
  filtered.content = "MSH|filtered";
  filtered.status = "filtered";
  filtered.error = "transformer 0: not for us";
  const MessageRecord f = insert(std::move(filtered));
  CHECK(f.status == "filtered");
  CHECK(f.error == "transformer 0: not for us");
  CHECK(f.raw == "MSH|filtered");
  CHECK_FALSE(f.transformed);
  CHECK(f.deliveries.empty());
}

TEST_CASE("message ids: reserved ones are used, the rest follow in write order, none is given twice") {
  ferry::test::TempDir dir;
  const auto file = dir.path() / "ferry.db";
  int64_t highest = 0;
  {
    auto s = Store::open({file, Durability::disk, 100});
    const int64_t first = insert_sync(*s, "c", "a");
    const int64_t reserved = s->reserve_message_id();
    CHECK(reserved > first);
    const int64_t next = insert_sync(*s, "c", "b");  // after the reserved one, which is not stored yet
    CHECK(next > reserved);
    std::promise<Inserted> result;
    NewMessage m;
    m.id = reserved;
    m.channel = "c";
    m.content = "late";
    REQUIRE(s->submit(insert_message(std::move(m), [&](const Inserted& r) { result.set_value(r); })));
    const Inserted late = result.get_future().get();
    CHECK(late.ok);
    CHECK(late.id == reserved);
    highest = next;
    // Deleting the newest message does not make its id free again.
    const int64_t left = s->read([&](Database& db) {
      db.exec(("DELETE FROM messages WHERE id = " + std::to_string(highest)).c_str());
      auto st = db.prepare("SELECT max(id) FROM messages");
      st.step();
      return st.integer(0);
    });
    CHECK(left == reserved);
  }
  auto s = Store::open({file, Durability::disk, 100});
  CHECK(s->reserve_message_id() > highest);
  CHECK(insert_sync(*s, "c", "after reopen") > highest);
}
