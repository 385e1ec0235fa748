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

}  // namespace

std::string write_file(const std::string& dir, const std::string& name, std::string_view content, WriteMode mode,
                       bool sync) {
  const std::string target = join(dir, name);
  // Hidden (leading '.') so a file.reader on this directory skips it; the
  // name is cut so the temp name stays under NAME_MAX when `name` is long.
  std::string temp_name = ".";
  temp_name.append(name, 0, 200).append(".tmp-").append(ferry::tmpl::random_hex(8));
  TempFile temp(join(dir, temp_name));
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

}  // namespace ferry::file
