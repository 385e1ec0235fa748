#include "scanner.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <fnmatch.h>

#include <algorithm>
#include <cerrno>
#include <memory>

namespace ferry::file {

std::vector<Entry> list_directory(const std::string& dir, const std::string& pattern) {
  std::unique_ptr<DIR, int (*)(DIR*)> d(::opendir(dir.c_str()), &::closedir);
  if (!d) throw SysError(errno, "open directory", dir);
  std::vector<Entry> out;
  for (;;) {
    errno = 0;
    const dirent* e = ::readdir(d.get());
    if (e == nullptr) {
      if (errno != 0) throw SysError(errno, "read directory", dir);
      break;
    }
    const std::string name = e->d_name;
    if (name.empty() || name[0] == '.') continue;
    if (::fnmatch(pattern.c_str(), name.c_str(), 0) != 0) continue;
    // Not following links: a symlink's target may live anywhere, and moving
    // or deleting "the file" would then touch only the link.
    struct stat st {};
    if (::fstatat(::dirfd(d.get()), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) continue;  // gone already
    if (!S_ISREG(st.st_mode)) continue;
    out.push_back(Entry{name, identity_of_stat(st)});
  }
  std::sort(out.begin(), out.end(), [](const Entry& a, const Entry& b) { return a.name < b.name; });
  return out;
}

}  // namespace ferry::file
