#include "archive.hpp"

#include <ferry/template/template.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>

#include "posix_io.hpp"

namespace ferry::file {

namespace {

constexpr size_t kNameMax = 255;

// The n-th name to try for `name` in the target directory.
std::string candidate(const std::string& name, const std::string& stamp, int n) {
  if (n == 0) return name;
  std::string suffix = "." + stamp;
  if (n > 1) suffix += "-" + std::to_string(n - 1);
  // Shorten the original name rather than fail with ENAMETOOLONG.
  const size_t keep = name.size() + suffix.size() > kNameMax ? kNameMax - suffix.size() : name.size();
  return name.substr(0, keep) + suffix;
}

// Copy src into target_dir under a hidden temp name; returns the temp path.
std::string copy_to_temp(const std::string& src, const std::string& target_dir, const std::string& name) {
  const int in_raw = ::open(src.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (in_raw < 0) throw SysError(errno, "open", src);
  Fd in(in_raw);
  const std::string temp = join(target_dir, "." + name.substr(0, 200) + ".tmp-" + ferry::tmpl::random_hex(8));
  const int out_raw = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (out_raw < 0) throw SysError(errno, "create", temp);
  Fd out(out_raw);
  try {
    char buf[65536];
    for (;;) {
      const ssize_t n = ::read(in.get(), buf, sizeof buf);
      if (n < 0) {
        if (errno == EINTR) continue;
        throw SysError(errno, "read", src);
      }
      if (n == 0) break;
      write_all(out.get(), std::string_view(buf, static_cast<size_t>(n)), temp);
    }
    if (::fsync(out.get()) != 0) throw SysError(errno, "fsync", temp);
    out.close_checked(temp);
  } catch (...) {
    ::unlink(temp.c_str());
    throw;
  }
  return temp;
}

// Give `from` (already inside target_dir's filesystem) the first free name.
std::string place(const std::string& from, const std::string& name, const std::string& target_dir) {
  const std::string stamp = ferry::tmpl::compact_timestamp(std::chrono::system_clock::now());
  for (int n = 0; n < 1000; ++n) {
    const std::string to = join(target_dir, candidate(name, stamp, n));
    if (move_no_replace(from, to)) return to;
  }
  throw SysError(EEXIST, "find a free name for", join(target_dir, name));
}

// After the rename/unlink happened, an fsync error cannot undo it, and must
// not make the reader believe the file is still in place.
void sync_quietly(const std::string& dir) {
  try {
    fsync_dir(dir);
  } catch (const SysError&) {
  }
}

}  // namespace

std::string archive_file(const std::string& src_dir, const std::string& name, const std::string& target_dir) {
  make_dirs(target_dir);
  const std::string src = join(src_dir, name);
  std::string final_path;
  try {
    final_path = place(src, name, target_dir);
  } catch (const SysError& e) {
    if (e.code != EXDEV) throw;
    // Another filesystem: the copy is complete and durable under its final
    // name before the original is removed, so a crash leaves a duplicate at
    // worst, never a loss.
    const std::string temp = copy_to_temp(src, target_dir, name);
    try {
      final_path = place(temp, name, target_dir);
    } catch (...) {
      ::unlink(temp.c_str());
      throw;
    }
    sync_quietly(target_dir);
    remove_file(src);
  }
  sync_quietly(target_dir);
  sync_quietly(src_dir);
  return final_path;
}

void delete_file(const std::string& src_dir, const std::string& name) {
  remove_file(join(src_dir, name));
  sync_quietly(src_dir);
}

}  // namespace ferry::file
