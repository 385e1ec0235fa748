// Thin wrappers over the POSIX calls both components need. They throw
// SysError carrying the errno, so each caller can decide what an error means
// for it (the writer maps it to retry/fail, the reader to skip/park).
#pragma once

#include <cstdint>
#include <sys/stat.h>

#include <stdexcept>
#include <string>
#include <string_view>

namespace ferry::file {

struct SysError : std::runtime_error {
  // what(): "<op> <path>: <strerror text>"
  SysError(int code, const std::string& op, const std::string& path);
  int code;
};

// The strerror text of an errno, without strerror()'s shared buffer.
std::string errno_text(int code);

// Owns a file descriptor.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& o) noexcept;
  Fd& operator=(Fd&& o) noexcept;
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd();
  int get() const { return fd_; }
  explicit operator bool() const { return fd_ >= 0; }
  // Close now; throws SysError: on some filesystems (NFS) close() is where a
  // failed write shows up, so a writer must not ignore it.
  void close_checked(const std::string& path);

 private:
  int fd_ = -1;
};

// What makes a directory entry "the same file": a file replaced in place or
// rewritten has a different identity even under the same name.
struct Identity {
  uint64_t dev = 0;
  uint64_t ino = 0;
  int64_t size = 0;
  int64_t mtime_ns = 0;  // Unix epoch nanoseconds
  bool operator==(const Identity&) const = default;
};

Identity identity_of_stat(const struct stat& st);

std::string join(std::string_view dir, std::string_view name);

// Made absolute once, at create: the process may change its working
// directory later, and a `path` in metadata or a response should mean the
// same to everyone. No symlinks are resolved. "" stays "".
std::string absolute_path(const std::string& path);

// lstat() a path; false (errno set) when it fails.
bool identity_of(const std::string& path, Identity& out, bool& is_regular);

// mkdir -p.
void make_dirs(const std::string& path);
// Make a rename/unlink/create in dir durable. Best effort by design on
// filesystems that cannot sync a directory (EINVAL): they offer no stronger
// guarantee anyway.
void fsync_dir(const std::string& dir);

void write_all(int fd, std::string_view data, const std::string& path);

// Read a whole regular file, refusing symlinks and anything that is not a
// regular file (EINVAL). `changed` is set when the file was modified while
// it was read (size, mtime or inode differ before/after), or grew past limit.
struct FileContent {
  std::string bytes;
  Identity id;
  bool changed = false;
};
FileContent read_file(const std::string& path, int64_t limit);

// Move `from` to `to` unless `to` exists: false when it exists. Both paths
// must be on one filesystem (else SysError EXDEV).
bool move_no_replace(const std::string& from, const std::string& to);

// Remove a file; ENOENT counts as success (someone else removed it already).
void remove_file(const std::string& path);

}  // namespace ferry::file
