#include "write_file.hpp"

#include <ferry/template/template.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "posix_io.hpp"

namespace ferry::file {

namespace {

// Removes a temp file on every exit path unless it was published.
class TempFile {
 public:
  explicit TempFile(std::string path) : path_(std::move(path)) {}
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  ~TempFile() {
    if (!path_.empty()) ::unlink(path_.c_str());
  }
  const std::string& path() const { return path_; }
  void published() { path_.clear(); }

 private:
  std::string path_;
};

std::string write_replacing(const std::string& dir, const std::string& name, std::string_view content,
                            WriteMode mode, bool sync) {
  const std::string target = join(dir, name);
  // Hidden (leading '.') so a file.reader on this directory skips it; the
  // name is cut so the temp name stays under NAME_MAX when `name` is long.
  TempFile temp(join(dir, "." + name.substr(0, 200) + ".tmp-" + ferry::tmpl::random_hex(8)));
  const int raw = ::open(temp.path().c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (raw < 0) {
    temp.published();  // nothing of ours to remove (EEXIST: not ours at all)
    throw SysError(errno, "create", temp.path());
  }
  Fd fd(raw);
  write_all(fd.get(), content, temp.path());
  if (sync && ::fsync(fd.get()) != 0) throw SysError(errno, "fsync", temp.path());
  fd.close_checked(temp.path());
  if (mode == WriteMode::overwrite) {
    if (::rename(temp.path().c_str(), target.c_str()) != 0) throw SysError(errno, "rename to", target);
  } else if (!move_no_replace(temp.path(), target)) {
    throw TargetExists(target + " exists");
  }
  temp.published();
  if (sync) fsync_dir(dir);
  return target;
}

std::string write_appending(const std::string& dir, const std::string& name, std::string_view content,
                            bool sync) {
  const std::string target = join(dir, name);
  bool created = false;
  int raw = -1;
  // Two steps instead of O_CREAT alone, to know whether the directory entry
  // is new and must be fsynced too.
  while (raw < 0) {
    raw = ::open(target.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
    if (raw >= 0 || errno != ENOENT) break;
    raw = ::open(target.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (raw >= 0) created = true;
    else if (errno != EEXIST) break;  // EEXIST: created meanwhile, open it again
  }
  if (raw < 0) throw SysError(errno, "open", target);
  Fd fd(raw);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) throw SysError(errno, "stat", target);
  try {
    write_all(fd.get(), content, target);
    if (sync && ::fsync(fd.get()) != 0) throw SysError(errno, "fsync", target);
  } catch (const SysError&) {
    // The delivery will be retried: cut off what this attempt managed to
    // write, or the retry would leave a torn record followed by a whole one.
    if (::ftruncate(fd.get(), st.st_size) != 0) {
      // Nothing more to try; the write error is the one worth reporting.
    }
    throw;
  }
  fd.close_checked(target);
  if (sync && created) fsync_dir(dir);
  return target;
}

}  // namespace

std::string write_file(const std::string& dir, const std::string& name, std::string_view content, WriteMode mode,
                       bool sync) {
  if (mode == WriteMode::append) return write_appending(dir, name, content, sync);
  return write_replacing(dir, name, content, mode, sync);
}

}  // namespace ferry::file
