// Moves committed WAL frames back into the database file on a thread of its
// own, so the writer's commits never stall behind a checkpoint (which is what
// SQLite's automatic checkpoint does: it runs inside the commit that crosses
// the threshold, and every message behind it waits).
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "store/sqlite.hpp"

namespace ferry::store {

class Checkpointer {
 public:
  // Opens its own connection to `file` and installs a WAL hook on `writer`
  // that asks for a checkpoint once the log holds `frames` frames.
  Checkpointer(const std::string& file, Database& writer, int frames);
  ~Checkpointer();
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

 private:
  static int on_commit(void* self, sqlite3* db, const char* schema, int frames);
  void run();

  Database db_;
  sqlite3* writer_;
  const int frames_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool requested_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace ferry::store
