#include "store/schema.hpp"

#include <string>

namespace ferry::store {
namespace {

// Append-only: never edit a shipped migration, add the next one.
const char* const kMigrations[] = {
    // 1: messages and their per-destination deliveries.
    R"sql(
      CREATE TABLE messages (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        channel TEXT NOT NULL,
        received_at INTEGER NOT NULL,       -- Unix ms
        status TEXT NOT NULL,               -- received | transformed | filtered | error
        content_type TEXT NOT NULL DEFAULT '',
        raw BLOB,                           -- NULL once pruned by the storage level
        transformed BLOB,                   -- content after the source transformers
        transformed_type TEXT,
        metadata TEXT NOT NULL DEFAULT '{}',-- JSON object of strings
        error TEXT,                         -- filter reason or error text
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX messages_by_channel ON messages(channel, id);
      CREATE INDEX messages_received ON messages(channel, id) WHERE status = 'received';
      CREATE TABLE deliveries (
        message_id INTEGER NOT NULL,
        channel TEXT NOT NULL,
        destination TEXT NOT NULL,
        status TEXT NOT NULL,               -- queued | sent | filtered | error
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        response BLOB,
        response_type TEXT,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (message_id, destination)
      ) WITHOUT ROWID;
      CREATE INDEX deliveries_queue ON deliveries(channel, destination, status, message_id);
    )sql",
    // 2: statistics that survive restarts, and commands from the CLI.
    R"sql(
      CREATE TABLE stats (
        channel TEXT NOT NULL,
        destination TEXT NOT NULL DEFAULT '',
        counter TEXT NOT NULL,
        value INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (channel, destination, counter)
      ) WITHOUT ROWID;
      CREATE TABLE commands (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        created_at INTEGER NOT NULL,
        command TEXT NOT NULL,              -- reprocess | resend
        message_id INTEGER NOT NULL,
        destinations TEXT NOT NULL DEFAULT '[]'
      );
    )sql",
    // 3: idempotent sources (a key a peer may send twice, e.g. an email's
    // Message-ID or a webhook delivery id) and the last fire time of each
    // channel's schedule (missed runs after a restart); messages of channels
    // without transformers stored once.
    R"sql(
      ALTER TABLE messages ADD COLUMN dedupe_key TEXT;
      -- 1: the content after the source transformers is the raw content
      -- (kept once, in raw, instead of a second copy in transformed).
      ALTER TABLE messages ADD COLUMN same_content INTEGER NOT NULL DEFAULT 0;
      CREATE UNIQUE INDEX messages_dedupe ON messages(channel, dedupe_key) WHERE dedupe_key IS NOT NULL;
      CREATE TABLE schedules (
        channel TEXT PRIMARY KEY,
        last_fire_ms INTEGER NOT NULL
      ) WITHOUT ROWID;
    )sql",
    // 4: the queue index holds queued deliveries only. A delivery that
    // completes leaves it (one index page touched) instead of moving to the
    // "sent" part of it (two), and the index stays the size of the backlog.
    R"sql(
      DROP INDEX deliveries_queue;
      CREATE INDEX deliveries_queue ON deliveries(channel, destination, message_id) WHERE status = 'queued';
    )sql",
};
static_assert(sizeof(kMigrations) / sizeof(kMigrations[0]) == kSchemaVersion);

}  // namespace

int schema_version(Database& db) {
  auto st = db.prepare("PRAGMA user_version");
  st.step();
  return static_cast<int>(st.integer(0));
}

void migrate(Database& db, int target) {
  const int current = schema_version(db);
  if (current > kSchemaVersion)
    throw std::runtime_error("the store has schema version " + std::to_string(current) +
                             ", newer than this Ferry supports (" + std::to_string(kSchemaVersion) +
                             "); upgrade Ferry");
  for (int v = current; v < target; ++v) {
    db.exec("BEGIN IMMEDIATE");
    try {
      db.exec(kMigrations[v]);
      db.exec(("PRAGMA user_version = " + std::to_string(v + 1)).c_str());
      db.exec("COMMIT");
    } catch (...) {
      db.exec("ROLLBACK");
      throw;
    }
  }
}

}  // namespace ferry::store
