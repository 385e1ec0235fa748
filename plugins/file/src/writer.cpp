#include "writer.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <chrono>
#include <filesystem>

#include "posix_io.hpp"

namespace ferry::file {

namespace {

WriteMode mode_of(const std::string& s) {
  if (s == "append") return WriteMode::append;
  if (s == "fail_if_exists") return WriteMode::fail_if_exists;
  return WriteMode::overwrite;
}

// Errors that come from this message's file name, not from the state of the
// destination: retrying would block the queue forever for nothing. All
// other errors (EACCES, ENOSPC, EROFS, ENOENT, EIO...) are things an admin
// fixes, after which the same write succeeds.
bool permanent_for_message(int code) {
  return code == ENAMETOOLONG || code == EISDIR || code == EFBIG || code == EILSEQ;
}

}  // namespace

Writer::Writer(ferry::Instance self, const ferry::Config& c)
    : SyncDestination(self),
      directory_(absolute_path(c.string("directory"))),
      filename_(c.string("filename", "${message_id}.msg")),
      mode_(mode_of(c.string("mode", "overwrite"))),
      fsync_(c.boolean("fsync", true)),
      create_directory_(c.boolean("create_directory", true)) {}

void Writer::ensure_directory() const {
  struct stat st {};
  if (::stat(directory_.c_str(), &st) == 0) {
    if (!S_ISDIR(st.st_mode)) throw SysError(ENOTDIR, "use directory", directory_);
    return;
  }
  if (errno != ENOENT || !create_directory_) throw SysError(errno, "use directory", directory_);
  make_dirs(directory_);
  // The new directory's own entry must survive a crash, or so would not the
  // files fsynced into it.
  if (fsync_) fsync_dir(std::filesystem::path(directory_).parent_path().string());
}

ferry::Message Writer::deliver(const ferry::Message& m) {
  const std::string name = filename_.expand(m, std::chrono::system_clock::now());
  try {
    std::string path;
    if (mode_ == WriteMode::append) {
      path = append_.append(directory_, name, m.content(), fsync_, [this] { ensure_directory(); });
    } else {
      ensure_directory();
      path = write_file(directory_, name, m.content(), mode_, fsync_);
    }
    self().count("files_written");
    return ferry::Message::create(path, "text/plain");
  } catch (const TargetExists& e) {
    throw ferry::Error(e.what());
  } catch (const SysError& e) {
    if (permanent_for_message(e.code)) throw ferry::Error(e.what());
    throw ferry::RetryLater(e.what());
  }
}

}  // namespace ferry::file
