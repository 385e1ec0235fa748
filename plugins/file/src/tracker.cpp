#include "tracker.hpp"

namespace ferry::file {

std::vector<Entry> FileTracker::observe(const std::vector<Entry>& listing, int64_t now_ns, int64_t min_age_ns,
                                        size_t max_in_flight) {
  std::vector<Entry> eligible;
  size_t budget = max_in_flight > in_flight_.size() ? max_in_flight - in_flight_.size() : 0;
  std::map<std::string, Identity> seen;
  std::map<std::string, Identity> parked;
  for (const Entry& e : listing) {
    seen.emplace(e.name, e.id);
    const auto prev = seen_.find(e.name);
    const bool stable = prev != seen_.end() && prev->second == e.id;
    if (auto p = parked_.find(e.name); p != parked_.end()) {
      if (p->second == e.id) {
        parked.emplace(e.name, e.id);
        continue;
      }
      // Changed since it was parked: a new version, judged afresh (it is not
      // `stable` this time, as its identity differs from the last listing).
    }
    if (in_flight_.count(e.name) != 0 || !stable) continue;
    if (now_ns - e.id.mtime_ns < min_age_ns) continue;
    if (budget == 0) continue;  // keep going: the observations still count
    --budget;
    eligible.push_back(e);
  }
  // Rebuilt from the listing so deleted files do not pile up in memory.
  seen_ = std::move(seen);
  parked_ = std::move(parked);
  return eligible;
}

void FileTracker::begin(const std::string& name) { in_flight_.insert(name); }
void FileTracker::end(const std::string& name) { in_flight_.erase(name); }

void FileTracker::park(const std::string& name, const Identity& id) { parked_[name] = id; }

void FileTracker::forget(const std::string& name) { seen_.erase(name); }

}  // namespace ferry::file
