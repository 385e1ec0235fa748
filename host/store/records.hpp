// Typed writes and reads over the store's tables: what the runtime and the
// CLI use, so no SQL lives outside host/store.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "store/store.hpp"

namespace ferry::store {

using Metadata = std::vector<std::pair<std::string, std::string>>;

// What each channel keeps once a message is finished (its content is always
// kept while any destination still needs it).
enum class Level {
  all,       // raw, transformed content and destination responses
  raw,       // raw content and metadata
  metadata,  // metadata and statuses only
};

std::string encode_metadata(const Metadata& meta);
Metadata decode_metadata(const std::string& json);
int64_t now_ms();

// The metadata key a source sets to make its channel store a message only
// once: a second message with the same key is not stored again (see
// docs/abi.md, "Idempotent sources").
inline constexpr const char* kDedupeKey = "dedupe_key";

// Once no destination needs the content any more, keep only what the level says.
void prune_if_finished(Statements& s, int64_t id, Level level);

struct NewMessage {
  int64_t id = 0;  // reserved with Store::reserve_message_id, or 0: the next one at the write
  std::string channel;
  std::string content_type;
  std::string content;
  Metadata meta;
  std::optional<std::string> dedupe_key;
  // `routed`: the message has been through the channel's transformers (or
  // it has none) and is stored with their outcome and queued for
  // `destinations` in the same write: one write per message (what the
  // runtime does). Without it, the message is stored as "received", as
  // Ferry did before one write per message (tests build such stores).
  bool routed = false;
  std::string status = "transformed";  // routed: transformed | filtered | error
  // routed: the content after the transformers when it differs from
  // `content` (else the content is stored once); the filter reason or error.
  std::optional<std::string> transformed, transformed_type;
  std::string error;
  std::vector<std::string> destinations;
  Level level = Level::all;
};
struct Inserted {
  int64_t id = 0;          // the new message, or the earlier one when duplicate
  bool ok = false;         // committed (or found as a duplicate)
  bool duplicate = false;  // dedupe_key was stored before: nothing was written
  std::string error;
};
// done runs on the writer thread after the commit.
Write insert_message(NewMessage m, std::function<void(const Inserted&)> done);

// Remember when a channel's schedule last fired; read back at start.
Write record_fire(std::string channel, int64_t fire_ms);
std::optional<int64_t> last_fire(Database& db, const std::string& channel);

struct TransformResult {
  int64_t id = 0;
  std::string channel;
  std::string status;  // transformed | filtered | error
  std::string content, content_type;
  Metadata meta;
  std::string error;
  std::vector<std::string> destinations;  // queued for these (status transformed)
  Level level = Level::all;
};
Write record_transform(TransformResult r, std::function<void(bool ok, const std::string& error)> done);

struct AttemptResult {
  int64_t id = 0;
  std::string channel, destination;
  std::string status;  // queued (will retry) | sent | filtered | error
  int64_t attempts = 0;
  std::string error;
  std::optional<std::string> response, response_type;
  Level level = Level::all;
};
Write record_attempt(AttemptResult r, std::function<void(bool ok, const std::string& error)> done);

// --- reads --------------------------------------------------------------

struct QueuedMessage {
  int64_t id = 0;
  int64_t attempts = 0;
  std::string content, content_type;
  Metadata meta;
};
// Queued deliveries of one destination with id > after_id, oldest first.
std::vector<QueuedMessage> load_queue(Database& db, const std::string& channel, const std::string& destination,
                                      int64_t after_id, size_t limit);

// Messages stored but not yet through the source transformers (a crash
// happened in between), oldest first.
std::vector<QueuedMessage> load_received(Database& db, const std::string& channel, int64_t after_id, size_t limit);

}  // namespace ferry::store
