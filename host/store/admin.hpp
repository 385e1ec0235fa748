// Store operations for administration: the CLI's queries (messages, stats)
// and commands, the engine's side of those commands, and retention.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "store/records.hpp"

namespace ferry::store {

struct DeliveryRecord {
  std::string destination, status;
  int64_t attempts = 0;
  std::optional<std::string> last_error, response, response_type;
  int64_t updated_at = 0;
};

struct MessageRecord {
  int64_t id = 0;
  std::string channel;
  int64_t received_at = 0;
  std::string status;   // the message's own: received | transformed | filtered | error
  std::string overall;  // with deliveries: received | queued | sent | filtered | error
  std::string content_type;
  std::optional<std::string> raw, transformed, transformed_type, error;
  Metadata meta;
  std::vector<DeliveryRecord> deliveries;
};

struct MessageQuery {
  std::optional<std::string> channel, status, text;
  std::vector<std::pair<std::string, std::string>> meta;  // all must match
  std::optional<int64_t> since_ms, until_ms;
  int64_t limit = 50;
};

// Newest first. Content fields are left empty (use find_message).
std::vector<MessageRecord> list_messages(Database& db, const MessageQuery& q);
std::optional<MessageRecord> find_message(Database& db, int64_t id);

struct StatRow {
  std::string channel, destination;  // destination empty for channel counters
  int64_t received = 0, filtered = 0, errored = 0, sent = 0, retries = 0, queued = 0;
  int64_t duplicates = 0;  // repeats of a source's dedupe_key, not stored again
};
std::vector<StatRow> read_stats(Database& db);

// --- commands: written by the CLI, run by the engine -------------------
struct Command {
  int64_t id = 0;
  std::string command;  // reprocess | resend
  int64_t message_id = 0;
  std::vector<std::string> destinations;  // empty: all
};
void add_command(Database& db, const std::string& command, int64_t message_id,
                 const std::vector<std::string>& destinations);
std::vector<Command> pending_commands(Database& db, size_t limit);
Write delete_command(int64_t id);
// Put a message's error (or still queued) deliveries back in the queue.
Write requeue(int64_t message_id, std::vector<std::string> destinations,
              std::function<void(bool ok, const std::string& error)> done);

// Retention: delete up to `limit` finished messages of a channel received
// before cutoff_ms (0: no age limit) or beyond the newest `keep` (0: no count
// limit). Never touches messages still queued for a destination or not yet
// through the source transformers. done(deleted) runs after the commit.
Write prune(std::string channel, int64_t cutoff_ms, int64_t keep, size_t limit,
            std::function<void(size_t deleted)> done);

}  // namespace ferry::store
