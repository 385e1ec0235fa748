#include "store/checkpointer.hpp"

#include "log/log.hpp"

namespace ferry::store {

namespace {
// If the background checkpoint cannot keep up (a reader holding an old
// snapshot, a very slow disk), the writer checkpoints itself past this many
// frames (~400 MB of log) so the log cannot grow without bound.
constexpr int kWriterCheckpointFrames = 100000;
}  // namespace

Checkpointer::Checkpointer(const std::string& file, Database& writer, int frames)
    : db_(file, false), writer_(writer.handle()), frames_(frames) {
  sqlite3_wal_hook(writer_, &Checkpointer::on_commit, this);
  thread_ = std::thread([this] { run(); });
}

Checkpointer::~Checkpointer() {
  sqlite3_wal_hook(writer_, nullptr, nullptr);
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

// Runs on the writer thread after each commit; must be quick.
int Checkpointer::on_commit(void* self, sqlite3* db, const char* schema, int frames) {
  auto* c = static_cast<Checkpointer*>(self);
  if (frames >= kWriterCheckpointFrames) {
    sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  } else if (frames >= c->frames_) {
    {
      std::lock_guard lock(c->mutex_);
      c->requested_ = true;
    }
    c->wake_.notify_one();
  }
  return SQLITE_OK;
}

void Checkpointer::run() {
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return requested_ || stopping_; });
      if (stopping_) return;
      requested_ = false;
    }
    // PASSIVE: copies what it can without blocking the writer or readers.
    const int rc = sqlite3_wal_checkpoint_v2(db_.handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    if (rc != SQLITE_OK && rc != SQLITE_BUSY)
      log::warn(std::string("store: background checkpoint failed: ") + sqlite3_errmsg(db_.handle()));
  }
}

}  // namespace ferry::store
