// The writer connection's prepared statements, compiled once.
#pragma once

#include "store/sqlite.hpp"

namespace ferry::store {

struct Statements {
  explicit Statements(Database& db);
  Database& db;
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
