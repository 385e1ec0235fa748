#include "store/admin.hpp"

#include <nlohmann/json.hpp>

#include "store/statements.hpp"

namespace ferry::store {
namespace {

const char* const kOverall =
    "CASE WHEN m.status IN ('received', 'filtered', 'error') THEN m.status "
    "WHEN EXISTS (SELECT 1 FROM deliveries d WHERE d.message_id = m.id AND d.status = 'error') THEN 'error' "
    "WHEN EXISTS (SELECT 1 FROM deliveries d WHERE d.message_id = m.id AND d.status = 'queued') THEN 'queued' "
    "WHEN NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.message_id = m.id AND d.status = 'sent') THEN 'filtered' "
    "ELSE 'sent' END";

std::optional<std::string> optional_text(const Statement& st, int col) {
  if (st.is_null(col)) return std::nullopt;
  return st.text(col);
}

// The summary columns both queries select first, in this order.
const std::string kSummaryColumns = std::string("m.id, m.channel, m.received_at, m.status, ") + kOverall +
                                    ", m.content_type, m.metadata, m.error";

MessageRecord read_summary(const Statement& st) {
  MessageRecord r;
  r.id = st.integer(0);
  r.channel = st.text(1);
  r.received_at = st.integer(2);
  r.status = st.text(3);
  r.overall = st.text(4);
  r.content_type = st.text(5);
  r.meta = decode_metadata(st.text(6));
  r.error = optional_text(st, 7);
  return r;
}

}  // namespace

std::vector<MessageRecord> list_messages(Database& db, const MessageQuery& q) {
  std::string sql = "SELECT " + kSummaryColumns + " FROM messages m WHERE 1 = 1";
  // Parameters are numbered in the order clauses are added.
  std::vector<std::function<void(Statement&, int)>> binds;
  auto add_text = [&](const std::string& clause, const std::string& v) {
    sql += " AND " + clause;
    binds.push_back([v](Statement& st, int i) { st.bind(i, v); });
  };
  auto add_int = [&](const std::string& clause, int64_t v) {
    sql += " AND " + clause;
    binds.push_back([v](Statement& st, int i) { st.bind(i, v); });
  };
  if (q.channel) add_text("m.channel = ?", *q.channel);
  if (q.status) add_text(std::string("(") + kOverall + ") = ?", *q.status);
  if (q.since_ms) add_int("m.received_at >= ?", *q.since_ms);
  if (q.until_ms) add_int("m.received_at < ?", *q.until_ms);
  if (q.text) {
    sql += " AND (instr(m.raw, ?) > 0 OR instr(m.transformed, ?) > 0)";
    for (int n = 0; n < 2; ++n) binds.push_back([v = *q.text](Statement& st, int i) { st.bind(i, v); });
  }
  for (const auto& [k, v] : q.meta) {
    // A quoted key, so names with dots or dashes work.
    add_text("json_extract(m.metadata, ?) = ?", "$." + nlohmann::json(k).dump());
    binds.push_back([v = v](Statement& st, int i) { st.bind(i, v); });
  }
  sql += " ORDER BY m.id DESC LIMIT ?";
  binds.push_back([limit = q.limit](Statement& st, int i) { st.bind(i, limit); });

  auto st = db.prepare(sql.c_str());
  for (size_t i = 0; i < binds.size(); ++i) binds[i](st, static_cast<int>(i + 1));
  std::vector<MessageRecord> out;
  while (st.step()) out.push_back(read_summary(st));
  return out;
}

std::optional<MessageRecord> find_message(Database& db, int64_t id) {
  auto st = db.prepare(("SELECT " + kSummaryColumns +
                        ", m.raw, m.transformed, m.transformed_type, m.same_content FROM messages m WHERE m.id = ?")
                           .c_str());
  st.bind(1, id);
  if (!st.step()) return std::nullopt;
  MessageRecord r = read_summary(st);
  r.raw = optional_text(st, 8);
  r.transformed = optional_text(st, 9);
  r.transformed_type = optional_text(st, 10);
  if (st.integer(11) != 0 && r.raw) {  // stored once: the transformed content is the raw one
    r.transformed = r.raw;
    r.transformed_type = r.content_type;
  }
  auto d = db.prepare(
      "SELECT destination, status, attempts, last_error, response, response_type, updated_at "
      "FROM deliveries WHERE message_id = ? ORDER BY destination");
  d.bind(1, id);
  while (d.step())
    r.deliveries.push_back({d.text(0), d.text(1), d.integer(2), optional_text(d, 3), optional_text(d, 4),
                            optional_text(d, 5), d.integer(6)});
  return r;
}

std::vector<StatRow> read_stats(Database& db) {
  std::vector<StatRow> rows;
  auto row_for = [&](const std::string& channel, const std::string& destination) -> StatRow& {
    for (auto& r : rows)
      if (r.channel == channel && r.destination == destination) return r;
    rows.push_back({channel, destination});
    return rows.back();
  };
  auto st = db.prepare("SELECT channel, destination, counter, value FROM stats ORDER BY channel, destination");
  while (st.step()) {
    StatRow& r = row_for(st.text(0), st.text(1));
    const std::string counter = st.text(2);
    const int64_t v = st.integer(3);
    if (counter == "received") r.received = v;
    else if (counter == "filtered") r.filtered = v;
    else if (counter == "errored") r.errored = v;
    else if (counter == "sent") r.sent = v;
    else if (counter == "retries") r.retries = v;
    else if (counter == "duplicates") r.duplicates = v;
  }
  auto q = db.prepare(
      "SELECT channel, destination, count(*) FROM deliveries WHERE status = 'queued' GROUP BY channel, destination");
  while (q.step()) row_for(q.text(0), q.text(1)).queued = q.integer(2);
  return rows;
}

void add_command(Database& db, const std::string& command, int64_t message_id,
                 const std::vector<std::string>& destinations) {
  auto st = db.prepare("INSERT INTO commands (created_at, command, message_id, destinations) VALUES (?, ?, ?, ?)");
  st.bind(1, now_ms()).bind(2, command).bind(3, message_id).bind(4, nlohmann::json(destinations).dump()).run();
}

std::vector<Command> pending_commands(Database& db, size_t limit) {
  auto st = db.prepare("SELECT id, command, message_id, destinations FROM commands ORDER BY id LIMIT ?");
  st.bind(1, static_cast<int64_t>(limit));
  std::vector<Command> out;
  while (st.step()) {
    Command c{st.integer(0), st.text(1), st.integer(2), {}};
    auto j = nlohmann::json::parse(st.text(3), nullptr, false);
    if (j.is_array())
      for (const auto& d : j)
        if (d.is_string()) c.destinations.push_back(d.get<std::string>());
    out.push_back(std::move(c));
  }
  return out;
}

Write delete_command(int64_t id) {
  Write w;
  w.apply = [id](Statements& s) {
    auto st = s.db.prepare("DELETE FROM commands WHERE id = ?");
    st.bind(1, id).run();
  };
  return w;
}

Write requeue(int64_t message_id, std::vector<std::string> destinations,
              std::function<void(bool, const std::string&)> done) {
  Write w;
  w.apply = [message_id, destinations = std::move(destinations)](Statements& s) {
    auto st = s.db.prepare(
        "UPDATE deliveries SET status = 'queued', attempts = 0, last_error = NULL, updated_at = ?2 "
        "WHERE message_id = ?1 AND status IN ('error', 'queued') "
        "AND EXISTS (SELECT 1 FROM messages WHERE id = ?1 AND "
        "(transformed IS NOT NULL OR (same_content = 1 AND raw IS NOT NULL))) "
        "AND (?3 = '[]' OR destination IN (SELECT value FROM json_each(?3)))");
    st.bind(1, message_id).bind(2, now_ms()).bind(3, nlohmann::json(destinations).dump()).run();
  };
  w.done = std::move(done);
  return w;
}

Write prune(std::string channel, int64_t cutoff_ms, int64_t keep, size_t limit,
            std::function<void(size_t)> done) {
  auto deleted = std::make_shared<size_t>(0);
  Write w;
  w.apply = [channel = std::move(channel), cutoff_ms, keep, limit, deleted](Statements& s) {
    auto pick = s.db.prepare(
        "SELECT m.id FROM messages m WHERE m.channel = ?1 AND m.status != 'received' "
        "AND ((?2 > 0 AND m.received_at < ?2) OR "
        "     (?3 > 0 AND m.id <= (SELECT id FROM messages WHERE channel = ?1 ORDER BY id DESC LIMIT 1 OFFSET ?3))) "
        "AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.message_id = m.id AND d.status = 'queued') "
        "ORDER BY m.id LIMIT ?4");
    pick.bind(1, channel).bind(2, cutoff_ms).bind(3, keep).bind(4, static_cast<int64_t>(limit));
    std::vector<int64_t> ids;
    while (pick.step()) ids.push_back(pick.integer(0));
    auto del_deliveries = s.db.prepare("DELETE FROM deliveries WHERE message_id = ?");
    auto del_message = s.db.prepare("DELETE FROM messages WHERE id = ?");
    for (int64_t id : ids) {
      del_deliveries.bind(1, id).run();
      del_message.bind(1, id).run();
    }
    *deleted = ids.size();
  };
  w.done = [deleted, done = std::move(done)](bool ok, const std::string&) { done(ok ? *deleted : 0); };
  return w;
}

}  // namespace ferry::store
