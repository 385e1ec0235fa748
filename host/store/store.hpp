// The durable message store (SQLite in WAL mode). One writer thread applies
// every write in batches: one transaction and one flush for many messages
// (group commit), so durability costs little throughput under concurrency.
// Readers use their own connection and never block the writer.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <tuple>

#include "store/sqlite.hpp"

namespace ferry::store {

enum class Durability {
  disk,     // flushed to disk before completion: survives power loss
  process,  // survives a crash of the engine, not of the machine
};

struct Statements;  // the writer's prepared statements (store/statements.hpp)

// One write, applied inside a batch transaction on the writer thread.
struct Write {
  std::function<void(Statements&)> apply;                   // may throw SqliteError
  std::function<void(bool ok, const std::string& error)> done;  // after commit/failure, writer thread
  // A new message: refused under backpressure and failed (not retried) when
  // the store cannot commit, so its source answers "not stored". Other writes
  // (statuses of stored messages) are retried until they commit.
  bool admission = false;
};

class Store {
 public:
  struct Options {
    std::filesystem::path file;
    Durability durability = Durability::disk;
    size_t max_pending_admissions = 10000;
  };
  // Opens or creates the store and migrates it. Throws std::runtime_error
  // with a text naming the file and the cause.
  static std::unique_ptr<Store> open(const Options& options);
  ~Store();  // commits what is pending, stops the writer
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // False when an admission is refused: too many new messages waiting for
  // the writer (backpressure), or the store is failing.
  bool submit(Write write);
  void add_stat(const std::string& channel, const std::string& destination, const std::string& counter,
                int64_t delta);
  // Wait until everything submitted before the call has been attempted.
  void flush();

  // An id for a new message before it is stored (a channel's transformers
  // see it). Ids are handed out in increasing order and never twice; one
  // whose message is not stored after all is simply not used.
  int64_t reserve_message_id() { return ++last_message_id_; }

  bool healthy() const;
  std::string last_error() const;
  const std::filesystem::path& file() const { return options_.file; }

  // Run f(Database&) on the read connection (serialised).
  template <class F>
  auto read(F&& f) {
    std::lock_guard lock(read_mutex_);
    return f(*reader_);
  }

 private:
  explicit Store(const Options& options);
  void run();
  bool commit_batch(std::deque<Write>& batch);

  Options options_;
  std::unique_ptr<Database> writer_db_;
  std::unique_ptr<Statements> statements_;
  std::mutex read_mutex_;
  std::unique_ptr<Database> reader_;

  mutable std::mutex mutex_;
  std::condition_variable wake_, flushed_;
  std::deque<Write> queue_;
  size_t pending_admissions_ = 0;
  size_t flush_waiters_ = 0;
  static constexpr std::chrono::milliseconds kStatusCommitDelay{2};
  std::map<std::tuple<std::string, std::string, std::string>, int64_t> stats_;
  uint64_t submitted_ = 0, attempted_ = 0;
  std::atomic<int64_t> last_message_id_{0};
  bool failing_ = false;
  std::string last_error_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace ferry::store
