// The reader's memory between scans: which files looked the same last time
// (stability), which are in flight, and which are parked. Not thread-safe:
// the reader holds its mutex around every call, because scans and emit
// completions run on different host threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "scanner.hpp"

namespace ferry::file {

class FileTracker {
 public:
  // Record one listing and return, in listing order, the files that may be
  // taken now: unchanged (same inode, size and mtime) since the previous
  // listing, mtime at least min_age_ns before now_ns, not in flight, not
  // parked, and no more than max_in_flight in flight in total.
  std::vector<Entry> observe(const std::vector<Entry>& listing, int64_t now_ns, int64_t min_age_ns,
                             size_t max_in_flight);

  // A file was handed to the channel; until end(), observe() never offers it.
  void begin(const std::string& name);
  void end(const std::string& name);
  size_t in_flight() const { return in_flight_.size(); }

  // Skip this file until it changes (rewritten, replaced) or disappears:
  // for files that failed for good, so they are neither retried in a loop
  // nor logged on every scan.
  void park(const std::string& name, const Identity& id);
  // Forget the last observation, so the file must prove stable again.
  void forget(const std::string& name);

 private:
  std::map<std::string, Identity> seen_;
  std::set<std::string> in_flight_;
  std::map<std::string, Identity> parked_;
};

}  // namespace ferry::file
