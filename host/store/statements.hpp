// The writer connection's prepared statements, compiled once.
#pragma once

#include <atomic>
#include <cstdint>

#include "store/sqlite.hpp"

namespace ferry::store {

struct Statements {
  Statements(Database& db, std::atomic<int64_t>& last_message_id);
  Database& db;
  // The last message id handed out (Store::reserve_message_id): new
  // messages without a reserved id take the next one.
  std::atomic<int64_t>& last_message_id;
  Statement insert_message;
  Statement insert_routed;
  Statement find_dedupe;
  Statement set_last_fire;
  Statement set_transformed;
  Statement insert_delivery;
  Statement update_delivery;
  Statement count_queued;
  Statement prune_content;
  Statement upsert_stat;
};

}  // namespace ferry::store
