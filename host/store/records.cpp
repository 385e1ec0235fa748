#include "store/records.hpp"

#include <chrono>
#include <nlohmann/json.hpp>

#include "store/statements.hpp"

namespace ferry::store {

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

namespace {

// Plain ASCII without control characters, quotes or backslashes: the common
// case (HL7 header fields, ids), written as is.
bool plain_ascii(std::string_view s) {
  for (unsigned char c : s)
    if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') return false;
  return true;
}

}  // namespace

std::string encode_metadata(const Metadata& meta) {
  // Hot path (every stored message): no JSON document for plain values.
  bool plain = true;
  size_t size = 2;
  for (const auto& [k, v] : meta) {
    plain = plain && plain_ascii(k) && plain_ascii(v);
    size += k.size() + v.size() + 6;
  }
  if (plain) {
    std::string out;
    out.reserve(size);
    out += '{';
    for (const auto& [k, v] : meta) {
      if (out.size() > 1) out += ',';
      out += '"';
      out += k;
      out += "\":\"";
      out += v;
      out += '"';
    }
    out += '}';
    return out;
  }
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  for (const auto& [k, v] : meta) j[k] = v;
  // Metadata comes from peers: replace invalid UTF-8 rather than fail.
  return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

Metadata decode_metadata(const std::string& text) {
  Metadata out;
  auto j = nlohmann::ordered_json::parse(text, nullptr, false);
  if (!j.is_object()) return out;
  for (const auto& [k, v] : j.items()) out.emplace_back(k, v.is_string() ? v.get<std::string>() : v.dump());
  return out;
}

Write insert_message(NewMessage m, std::function<void(const Inserted&)> done) {
  auto result = std::make_shared<Inserted>();
  Write w;
  w.admission = true;
  // One writer thread applies every insert in order, so looking the key up
  // first cannot race with another insert of the same key.
  w.apply = [m = std::move(m), result](Statements& s) {
    result->duplicate = false;
    if (m.dedupe_key) {
      s.find_dedupe.bind(1, m.channel).bind(2, *m.dedupe_key);
      const bool found = s.find_dedupe.step();
      if (found) result->id = s.find_dedupe.integer(0);
      s.find_dedupe.reset();
      if (found) {
        result->duplicate = true;
        return;
      }
    }
    const int64_t now = now_ms();
    // Given at the write, in write order, unless reserved earlier.
    const int64_t id = m.id != 0 ? m.id : ++s.last_message_id;
    auto& st = m.routed ? s.insert_routed : s.insert_message;
    st.bind(1, m.channel)
        .bind(2, now)
        .bind(3, m.content_type)
        .bind_blob(4, m.content)
        .bind(5, encode_metadata(m.meta))
        .bind_optional(6, m.dedupe_key);
    if (m.routed) {
      const bool stored_once = m.status == "transformed" && !m.transformed;
      st.bind(12, id).bind(7, m.status).bind(8, int64_t{stored_once});
      if (m.transformed) st.bind_blob(9, *m.transformed).bind_optional(10, m.transformed_type);
      else st.bind_null(9).bind_null(10);
      if (m.error.empty()) st.bind_null(11);
      else st.bind(11, m.error);
    } else {
      st.bind(7, id);
    }
    st.run();
    result->id = id;
    if (!m.routed) return;
    for (const auto& d : m.destinations)
      s.insert_delivery.bind(1, result->id).bind(2, m.channel).bind(3, d).bind(4, now).run();
    prune_if_finished(s, result->id, m.level);
  };
  w.done = [result, done = std::move(done)](bool ok, const std::string& error) {
    Inserted r = *result;
    r.ok = ok;
    r.error = error;
    if (!ok) r.id = 0;
    done(r);
  };
  return w;
}

Write record_fire(std::string channel, int64_t fire_ms) {
  Write w;
  w.apply = [channel = std::move(channel), fire_ms](Statements& s) {
    s.set_last_fire.bind(1, channel).bind(2, fire_ms).run();
  };
  w.done = [](bool, const std::string&) {};
  return w;
}

std::optional<int64_t> last_fire(Database& db, const std::string& channel) {
  auto st = db.prepare("SELECT last_fire_ms FROM schedules WHERE channel = ?1");
  st.bind(1, channel);
  if (!st.step()) return std::nullopt;
  return st.integer(0);
}

void prune_if_finished(Statements& s, int64_t id, Level level) {
  if (level == Level::all) return;
  s.count_queued.bind(1, id);
  s.count_queued.step();
  const int64_t queued = s.count_queued.integer(0);
  s.count_queued.reset();
  if (queued > 0) return;
  s.prune_content.bind(1, id).bind(2, int64_t{level == Level::metadata}).bind(3, int64_t{1}).run();
}

Write record_transform(TransformResult r, std::function<void(bool, const std::string&)> done) {
  Write w;
  w.apply = [r = std::move(r)](Statements& s) {
    const int64_t now = now_ms();
    auto& st = s.set_transformed;
    st.bind(1, r.id).bind(2, r.status);
    if (r.status == "transformed") st.bind_blob(3, r.content).bind(4, r.content_type);
    else st.bind_null(3).bind_null(4);
    st.bind(5, encode_metadata(r.meta));
    if (r.error.empty()) st.bind_null(6);
    else st.bind(6, r.error);
    st.bind(7, now).run();
    for (const auto& d : r.destinations) s.insert_delivery.bind(1, r.id).bind(2, r.channel).bind(3, d).bind(4, now).run();
    prune_if_finished(s, r.id, r.level);
  };
  w.done = std::move(done);
  return w;
}

Write record_attempt(AttemptResult r, std::function<void(bool, const std::string&)> done) {
  Write w;
  w.apply = [r = std::move(r)](Statements& s) {
    auto& st = s.update_delivery;
    st.bind(1, r.id).bind(2, r.destination).bind(3, r.status).bind(4, r.attempts);
    if (r.error.empty()) st.bind_null(5);
    else st.bind(5, r.error);
    if (r.response && r.level == Level::all) st.bind_blob(6, *r.response).bind_optional(7, r.response_type);
    else st.bind_null(6).bind_null(7);
    st.bind(8, now_ms()).run();
    if (r.status != "queued") prune_if_finished(s, r.id, r.level);
  };
  w.done = std::move(done);
  return w;
}

std::vector<QueuedMessage> load_queue(Database& db, const std::string& channel, const std::string& destination,
                                      int64_t after_id, size_t limit) {
  // The content a destination sends is the transformed one.
  static const char* const sql =
      "SELECT d.message_id, d.attempts, coalesce(m.transformed, m.raw, ''), "
      "coalesce(m.transformed_type, m.content_type), m.metadata "
      "FROM deliveries d JOIN messages m ON m.id = d.message_id "
      "WHERE d.channel = ?1 AND d.destination = ?2 AND d.status = 'queued' AND d.message_id > ?3 "
      "ORDER BY d.message_id LIMIT ?4";
  auto st = db.prepare(sql);
  st.bind(1, channel).bind(2, destination).bind(3, after_id).bind(4, static_cast<int64_t>(limit));
  std::vector<QueuedMessage> out;
  while (st.step())
    out.push_back({st.integer(0), st.integer(1), st.text(2), st.text(3), decode_metadata(st.text(4))});
  return out;
}

std::vector<QueuedMessage> load_received(Database& db, const std::string& channel, int64_t after_id, size_t limit) {
  auto st = db.prepare(
      "SELECT id, coalesce(raw, ''), content_type, metadata FROM messages "
      "WHERE channel = ?1 AND status = 'received' AND id > ?2 ORDER BY id LIMIT ?3");
  st.bind(1, channel).bind(2, after_id).bind(3, static_cast<int64_t>(limit));
  std::vector<QueuedMessage> out;
  while (st.step()) out.push_back({st.integer(0), 0, st.text(1), st.text(2), decode_metadata(st.text(3))});
  return out;
}

}  // namespace ferry::store
