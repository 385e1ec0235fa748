// file.writer's append mode. The file stays open between messages (one
// stat and one write per message instead of stat, open, fstat, write and
// close), and is reopened as soon as its name points elsewhere: rotated
// away (logrotate), deleted, replaced, or a template gave a new name.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "posix_io.hpp"

namespace ferry::file {

class AppendFile {
 public:
  // Append `content` to dir/name as one record; with `sync`, the file (and
  // its directory entry when the file is new) is fsynced before returning.
  // A failed write leaves no partial record behind. `before_open` runs
  // before the file has to be (re)opened, e.g. to create the directory.
  // Returns the path. Throws SysError. Not thread-safe (one per writer).
  std::string append(const std::string& dir, const std::string& name, std::string_view content, bool sync,
                     const std::function<void()>& before_open);

 private:
  // The size of the open file if `path` still names it, else -1.
  int64_t size_if_current(const std::string& path) const;
  int64_t open(const std::string& dir, const std::string& path, bool sync);

  std::string path_;
  Fd fd_;
  uint64_t dev_ = 0, ino_ = 0;
};

}  // namespace ferry::file
