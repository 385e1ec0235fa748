#include "append_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

namespace ferry::file {

int64_t AppendFile::size_if_current(const std::string& path) const {
  if (!fd_ || path != path_) return -1;
  // By name, not by descriptor: a rotated or deleted file must not keep
  // receiving messages nobody will find.
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return -1;
  if (static_cast<uint64_t>(st.st_dev) != dev_ || static_cast<uint64_t>(st.st_ino) != ino_) return -1;
  return st.st_size;
}

int64_t AppendFile::open(const std::string& dir, const std::string& path, bool sync) {
  fd_ = Fd();
  path_.clear();
  bool created = false;
  int raw = -1;
  // Two steps instead of O_CREAT alone, to know whether the directory entry
  // is new and must be fsynced too.
  while (raw < 0) {
    raw = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
    if (raw >= 0 || errno != ENOENT) break;
    raw = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (raw >= 0) created = true;
    else if (errno != EEXIST) break;  // EEXIST: created meanwhile, open it again
  }
  if (raw < 0) throw SysError(errno, "open", path);
  Fd fd(raw);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) throw SysError(errno, "stat", path);
  if (sync && created) fsync_dir(dir);
  fd_ = std::move(fd);
  path_ = path;
  dev_ = static_cast<uint64_t>(st.st_dev);
  ino_ = static_cast<uint64_t>(st.st_ino);
  return st.st_size;
}

std::string AppendFile::append(const std::string& dir, const std::string& name, std::string_view content, bool sync,
                               const std::function<void()>& before_open) {
  const std::string target = join(dir, name);
  int64_t size = size_if_current(target);
  if (size < 0) {
    before_open();
    size = open(dir, target, sync);
  }
  try {
    write_all(fd_.get(), content, target);
    if (sync && ::fsync(fd_.get()) != 0) throw SysError(errno, "fsync", target);
  } catch (const SysError&) {
    // The delivery will be retried: cut off what this attempt managed to
    // write, or the retry would leave a torn record followed by a whole one.
    if (::ftruncate(fd_.get(), size) != 0) {
      // Nothing more to try; the write error is the one worth reporting.
    }
    fd_ = Fd();  // start from the name again on the retry
    path_.clear();
    throw;
  }
  return target;
}

}  // namespace ferry::file
