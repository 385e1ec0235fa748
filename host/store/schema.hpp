// The store's schema and its migrations. PRAGMA user_version holds the
// version; each migration runs in its own transaction, so a store written by
// any older Ferry opens and is brought up to date at start-up.
#pragma once

#include "store/sqlite.hpp"

namespace ferry::store {

inline constexpr int kSchemaVersion = 4;

// Apply migrations up to `target` (tests use a lower target to build an
// "old" store). Throws SqliteError, or std::runtime_error when the file was
// written by a newer Ferry.
void migrate(Database& db, int target = kSchemaVersion);
int schema_version(Database& db);

}  // namespace ferry::store
