// One listing of the reader's directory: the candidates a scan considers.
#pragma once

#include <string>
#include <vector>

#include "posix_io.hpp"

namespace ferry::file {

struct Entry {
  std::string name;
  Identity id;
};

// Regular files directly in `dir` whose name matches the fnmatch() glob
// `pattern`, sorted by name. Skipped: names starting with '.' (hidden files,
// and the temp files file.writer and most tools write before renaming),
// symlinks, directories and other special files. Throws SysError when the
// directory itself cannot be read.
std::vector<Entry> list_directory(const std::string& dir, const std::string& pattern);

}  // namespace ferry::file
