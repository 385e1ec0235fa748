#include "posix_io.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <system_error>
#include <utility>

namespace ferry::file {

Identity identity_of_stat(const struct stat& st) {
  return Identity{static_cast<uint64_t>(st.st_dev), static_cast<uint64_t>(st.st_ino),
                  static_cast<int64_t>(st.st_size),
                  static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec};
}

std::string errno_text(int code) { return std::generic_category().message(code); }

SysError::SysError(int c, const std::string& op, const std::string& path)
    : std::runtime_error(op + " " + path + ": " + errno_text(c)), code(c) {}

Fd::Fd(Fd&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
Fd& Fd::operator=(Fd&& o) noexcept {
  if (this != &o) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(o.fd_, -1);
  }
  return *this;
}
Fd::~Fd() {
  if (fd_ >= 0) ::close(fd_);
}
void Fd::close_checked(const std::string& path) {
  const int fd = std::exchange(fd_, -1);
  // Retrying close() after EINTR may close a descriptor another thread just
  // got, so EINTR is taken as closed.
  if (fd >= 0 && ::close(fd) != 0 && errno != EINTR) throw SysError(errno, "close", path);
}

std::string join(std::string_view dir, std::string_view name) {
  std::string out(dir);
  if (!out.empty() && out.back() != '/') out += '/';
  out += name;
  return out;
}

std::string absolute_path(const std::string& path) {
  if (path.empty()) return path;
  std::error_code ec;
  const auto abs = std::filesystem::absolute(path, ec);
  std::string out = (ec ? std::filesystem::path(path) : abs).lexically_normal().string();
  while (out.size() > 1 && out.back() == '/') out.pop_back();
  return out;
}

bool identity_of(const std::string& path, Identity& out, bool& is_regular) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) return false;
  out = identity_of_stat(st);
  is_regular = S_ISREG(st.st_mode);
  return true;
}

void make_dirs(const std::string& path) {
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec) throw SysError(ec.value(), "create directory", path);
}

void fsync_dir(const std::string& dir) {
  const int raw = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (raw < 0) throw SysError(errno, "open directory", dir);
  Fd fd(raw);
  if (::fsync(fd.get()) != 0 && errno != EINVAL) throw SysError(errno, "fsync directory", dir);
}

void write_all(int fd, std::string_view data, const std::string& path) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      throw SysError(errno, "write", path);
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
}

FileContent read_file(const std::string& path, int64_t limit) {
  // O_NONBLOCK: a FIFO swapped in after the listing must not hang the scan.
  const int raw = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  if (raw < 0) throw SysError(errno, "open", path);
  Fd fd(raw);
  struct stat before {};
  if (::fstat(fd.get(), &before) != 0) throw SysError(errno, "stat", path);
  if (!S_ISREG(before.st_mode)) throw SysError(EINVAL, "read (not a regular file)", path);

  FileContent out;
  out.bytes.reserve(static_cast<size_t>(std::min<int64_t>(before.st_size, limit)));
  char buf[65536];
  for (;;) {
    const ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw SysError(errno, "read", path);
    }
    if (n == 0) break;
    out.bytes.append(buf, static_cast<size_t>(n));
    if (static_cast<int64_t>(out.bytes.size()) > limit) {
      out.changed = true;  // grew past what the listing said
      break;
    }
  }
  struct stat after {};
  if (::fstat(fd.get(), &after) != 0) throw SysError(errno, "stat", path);
  out.id = identity_of_stat(after);
  if (!(identity_of_stat(before) == out.id) || static_cast<int64_t>(out.bytes.size()) != out.id.size)
    out.changed = true;
  return out;
}

bool move_no_replace(const std::string& from, const std::string& to) {
  if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0) return true;
  if (errno == EEXIST) return false;
  // Filesystems without RENAME_NOREPLACE (some network and FUSE ones): a hard
  // link never replaces its target either.
  if (errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP) throw SysError(errno, "rename", from);
  if (::link(from.c_str(), to.c_str()) != 0) {
    if (errno == EEXIST) return false;
    throw SysError(errno, "link", from);
  }
  if (::unlink(from.c_str()) != 0 && errno != ENOENT) throw SysError(errno, "unlink", from);
  return true;
}

void remove_file(const std::string& path) {
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) throw SysError(errno, "remove", path);
}

}  // namespace ferry::file
