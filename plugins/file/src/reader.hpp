// file.reader: a source that takes files from a directory, one message per
// file, and moves or deletes each file only after the channel committed its
// message to the store (the completion; when it comes is response.when).
#pragma once

#include <ferry/plugin.hpp>

#include <atomic>
#include <mutex>
#include <optional>
#include <string>

#include "scanner.hpp"
#include "tracker.hpp"

namespace ferry::file {

struct ReaderSettings {
  std::string directory;  // absolute
  std::string pattern;
  int64_t poll_interval_ms = 1000;
  bool own_timer = true;
  std::string done_directory;   // absolute, or empty: delete
  std::string error_directory;  // absolute, or empty: leave in place
  std::string content_type;
  int64_t min_age_ms = 500;
  int64_t max_file_size = 64 << 20;
  int64_t max_in_flight = 100;

  // Throws ferry::Error for combinations the key rules cannot express.
  static ReaderSettings from(const ferry::Config& c);
};

class Reader : public ferry::Source {
 public:
  static constexpr const char* type = "file.reader";
  static constexpr const char* version = "1.0.0";
  static constexpr const char* description =
      "Reads each file of a directory as one message, then moves or deletes it once the channel stored it";
  static constexpr std::array config_keys = {
      ferry::Key::string("directory").describe("Directory to read files from (not recursive)").required().min(1),
      ferry::Key::string("pattern")
          .describe("Glob (fnmatch) a file name must match; names starting with '.' are always skipped")
          .fallback("\"*\"")
          .min(1),
      ferry::Key::integer("poll_interval_ms")
          .describe("Interval of the reader's own scan timer")
          .fallback("1000")
          .range(10, 86400000),
      ferry::Key::boolean("own_timer")
          .describe("Scan on the reader's own timer; false: scan only when the channel's schedule polls")
          .fallback("true"),
      ferry::Key::string("done_directory")
          .describe("Where taken files are moved (created if missing); empty: delete them")
          .fallback("\"\""),
      ferry::Key::string("error_directory")
          .describe("Where rejected, unreadable or oversized files are moved; empty: leave them and log once")
          .fallback("\"\""),
      ferry::Key::string("content_type").describe("Content type of the messages").fallback("\"text/plain\"").min(1),
      ferry::Key::integer("min_age_ms")
          .describe("A file is taken only when unchanged since the previous scan and its mtime is this old")
          .fallback("500")
          .range(0, 86400000),
      ferry::Key::integer("max_file_size")
          .describe("Larger files are not read but treated as errors (bytes)")
          .fallback("67108864")
          .range(1, 1073741824),
      ferry::Key::integer("max_in_flight")
          .describe("Files handed to the channel and not yet completed, at most")
          .fallback("100")
          .range(1, 1000000),
  };

  Reader(ferry::Instance self, const ferry::Config& c);
  void start() override;
  void stop() override;
  void poll() override;

 private:
  void scan();
  // Read and emit one file; false when the scan should end now.
  bool take(const Entry& e);
  void completed(const std::string& name, const Identity& id, const ferry::EmitResult& r);
  // Move to error_directory, or park and log once.
  void reject(const std::string& name, const Identity& id, const std::string& reason);
  // Whether the file still is the one that was emitted; logs why not.
  bool unchanged(const std::string& name, const Identity& id) const;
  void park(const std::string& name, const Identity& id);

  ReaderSettings settings_;
  std::mutex mutex_;  // guards tracker_
  FileTracker tracker_;
  std::mutex scan_mutex_;
  std::optional<int> directory_error_;  // guarded by scan_mutex_: log a failing directory once
  std::atomic<bool> stopping_{false};
  uint64_t timer_id_ = 0;
};

}  // namespace ferry::file
