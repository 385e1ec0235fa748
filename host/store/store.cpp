#include "store/store.hpp"

#include <chrono>

#include "log/log.hpp"
#include "store/schema.hpp"
#include "store/statements.hpp"

namespace ferry::store {

Statements::Statements(Database& d, std::atomic<int64_t>& last_id)
    : db(d),
      last_message_id(last_id),
      insert_message(d, "INSERT INTO messages (channel, received_at, status, content_type, raw, metadata, updated_at, "
                        "dedupe_key, id) VALUES (?1, ?2, 'received', ?3, ?4, ?5, ?2, ?6, ?7)"),
      insert_routed(d, "INSERT INTO messages (channel, received_at, status, content_type, raw, metadata, updated_at, "
                       "dedupe_key, same_content, transformed, transformed_type, error, id) "
                       "VALUES (?1, ?2, ?7, ?3, ?4, ?5, ?2, ?6, ?8, ?9, ?10, ?11, ?12)"),
      find_dedupe(d, "SELECT id FROM messages WHERE channel = ?1 AND dedupe_key = ?2"),
      set_last_fire(d, "INSERT INTO schedules (channel, last_fire_ms) VALUES (?1, ?2) "
                       "ON CONFLICT (channel) DO UPDATE SET last_fire_ms = excluded.last_fire_ms"),
      set_transformed(d, "UPDATE messages SET status = ?2, transformed = ?3, transformed_type = ?4, metadata = ?5, "
                         "error = ?6, updated_at = ?7 WHERE id = ?1"),
      insert_delivery(d, "INSERT OR REPLACE INTO deliveries (message_id, channel, destination, status, attempts, updated_at) "
                         "VALUES (?1, ?2, ?3, 'queued', 0, ?4)"),
      update_delivery(d, "UPDATE deliveries SET status = ?3, attempts = ?4, last_error = ?5, response = ?6, "
                         "response_type = ?7, updated_at = ?8 WHERE message_id = ?1 AND destination = ?2"),
      count_queued(d, "SELECT count(*) FROM deliveries WHERE message_id = ?1 AND status = 'queued'"),
      prune_content(d, "UPDATE messages SET raw = CASE WHEN ?2 THEN NULL ELSE raw END, "
                       "transformed = CASE WHEN ?3 THEN NULL ELSE transformed END, "
                       "transformed_type = CASE WHEN ?3 THEN NULL ELSE transformed_type END WHERE id = ?1"),
      upsert_stat(d, "INSERT INTO stats (channel, destination, counter, value) VALUES (?1, ?2, ?3, ?4) "
                     "ON CONFLICT (channel, destination, counter) DO UPDATE SET value = value + excluded.value") {}

namespace {

void configure(Database& db, Durability durability) {
  db.exec("PRAGMA journal_mode = WAL");
  // In WAL mode FULL flushes the log on every commit (survives power loss);
  // NORMAL flushes only at checkpoints (survives an engine crash).
  db.exec(durability == Durability::disk ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
  // Pruned or deleted patient data is overwritten, not left in free pages.
  db.exec("PRAGMA secure_delete = FAST");
  // Give the log's disk space back after a burst instead of keeping its peak size.
  db.exec("PRAGMA journal_size_limit = 67108864");
}

}  // namespace

std::unique_ptr<Store> Store::open(const Options& options) {
  try {
    return std::unique_ptr<Store>(new Store(options));
  } catch (const std::exception& e) {
    throw std::runtime_error("store " + options.file.string() + ": " + e.what());
  }
}

Store::Store(const Options& options) : options_(options) {
  std::error_code ec;
  if (options.file.has_parent_path()) {
    std::filesystem::create_directories(options.file.parent_path(), ec);
    if (ec) throw std::runtime_error("cannot create folder " + options.file.parent_path().string() + ": " + ec.message());
  }
  writer_db_ = std::make_unique<Database>(options.file.string(), true);
  configure(*writer_db_, options.durability);
  migrate(*writer_db_);
  // A quick integrity check catches a corrupt file at start, not mid-traffic.
  auto check = writer_db_->prepare("PRAGMA quick_check");
  if (check.step() && check.text(0) != "ok") throw std::runtime_error("integrity check failed: " + check.text(0));
  check.reset();
  // Ids are never reused, not even those of deleted messages (what
  // AUTOINCREMENT promised when SQLite handed them out).
  auto last = writer_db_->prepare(
      "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'messages'), 0), "
      "coalesce((SELECT max(id) FROM messages), 0))");
  last.step();
  last_message_id_ = last.integer(0);
  last.reset();
  statements_ = std::make_unique<Statements>(*writer_db_, last_message_id_);
  reader_ = std::make_unique<Database>(options.file.string(), false);
  thread_ = std::thread([this] { run(); });
}

Store::~Store() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool Store::submit(Write write) {
  {
    std::lock_guard lock(mutex_);
    if (write.admission) {
      // While failing, one new message at a time still goes through as a
      // probe: it is answered "not stored" if it fails, and its success is
      // what brings the store back (after the writer's pause).
      const size_t limit = failing_ ? 1 : options_.max_pending_admissions;
      if (pending_admissions_ >= limit) return false;
      ++pending_admissions_;
    }
    queue_.push_back(std::move(write));
    ++submitted_;
  }
  wake_.notify_one();
  return true;
}

void Store::add_stat(const std::string& channel, const std::string& destination, const std::string& counter,
                     int64_t delta) {
  std::lock_guard lock(mutex_);
  stats_[{channel, destination, counter}] += delta;
}

void Store::flush() {
  std::unique_lock lock(mutex_);
  const uint64_t target = submitted_;
  ++flush_waiters_;
  wake_.notify_one();
  flushed_.wait(lock, [&] { return attempted_ >= target || stopping_; });
  --flush_waiters_;
}

bool Store::healthy() const {
  std::lock_guard lock(mutex_);
  return !failing_;
}

std::string Store::last_error() const {
  std::lock_guard lock(mutex_);
  return last_error_;
}

// Apply a batch in one transaction. On failure everything is rolled back:
// admissions fail (their sources answer "not stored"); the other writes go
// back to the front of the queue and are retried after a pause.
bool Store::commit_batch(std::deque<Write>& batch) {
  decltype(stats_) stats;
  {
    std::lock_guard lock(mutex_);
    stats.swap(stats_);
  }
  std::string error;
  try {
    writer_db_->exec("BEGIN IMMEDIATE");
    try {
      for (auto& w : batch)
        if (w.apply) w.apply(*statements_);
      for (const auto& [key, delta] : stats) {
        auto& st = statements_->upsert_stat;
        st.bind(1, std::get<0>(key)).bind(2, std::get<1>(key)).bind(3, std::get<2>(key)).bind(4, delta).run();
      }
      writer_db_->exec("COMMIT");
    } catch (...) {
      try {
        writer_db_->exec("ROLLBACK");
      } catch (...) {  // the transaction may already be gone (e.g. SQLITE_FULL)
      }
      throw;
    }
  } catch (const std::exception& e) {
    error = e.what();
  }

  std::deque<Write> retry;
  {
    std::lock_guard lock(mutex_);
    const bool was_failing = failing_;
    failing_ = !error.empty();
    if (failing_) {
      last_error_ = error;
      for (const auto& [key, delta] : stats) stats_[key] += delta;
      if (!was_failing) log::error("store " + options_.file.string() + ": write failed, new messages are refused until it recovers: " + error);
    } else if (was_failing) {
      log::info("store " + options_.file.string() + " recovered");
    }
    for (auto& w : batch)
      if (w.admission) --pending_admissions_;
  }
  for (auto& w : batch) {
    if (error.empty() || w.admission) {
      if (w.done) w.done(error.empty(), error);
    } else {
      retry.push_back(std::move(w));
    }
  }
  if (!retry.empty()) {
    std::lock_guard lock(mutex_);
    for (auto it = retry.rbegin(); it != retry.rend(); ++it) queue_.push_front(std::move(*it));
    attempted_ -= retry.size();  // not attempted for good yet
  }
  return error.empty();
}

void Store::run() {
  auto pause = std::chrono::milliseconds(100);
  for (;;) {
    std::deque<Write> batch;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || !queue_.empty() || !stats_.empty(); });
      if (queue_.empty() && stats_.empty() && stopping_) return;
      // With disk durability every commit costs a flush. Status updates
      // alone (nobody waits for them) wait a moment for the next new message
      // and share its commit; with one synchronous client this halves the
      // flushes per message. A crash loses at most those few outcomes, which
      // means a re-send (delivery is at-least-once anyway), never a message.
      if (options_.durability == Durability::disk && pending_admissions_ == 0 && flush_waiters_ == 0 && !stopping_)
        wake_.wait_for(lock, kStatusCommitDelay,
                       [&] { return stopping_ || pending_admissions_ > 0 || flush_waiters_ > 0; });
      const size_t n = std::min<size_t>(queue_.size(), 4096);
      for (size_t i = 0; i < n; ++i) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
      attempted_ += n;
    }
    const bool ok = commit_batch(batch);
    flushed_.notify_all();
    if (ok) {
      pause = std::chrono::milliseconds(100);
    } else {
      std::unique_lock lock(mutex_);
      // Keep retrying while stopping too, but give up on a store that stays
      // broken: what is not committed is redone from the last commit.
      if (stopping_) {
        log::error("store: giving up on " + std::to_string(queue_.size()) + " uncommitted status update(s) at shutdown; "
                   "they are redone after restart");
        queue_.clear();
        stats_.clear();
        flushed_.notify_all();
        return;
      }
      wake_.wait_for(lock, pause, [&] { return stopping_; });
      pause = std::min(pause * 2, std::chrono::milliseconds(5000));
    }
  }
}

}  // namespace ferry::store
