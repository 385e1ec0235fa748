// How file.writer puts content into a file in overwrite and fail_if_exists
// modes: readers of the target directory never see a half-written file
// (temp file + rename/link). Append mode is AppendFile (append_file.hpp).
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace ferry::file {

enum class WriteMode { overwrite, append, fail_if_exists };

// fail_if_exists found the target already there.
struct TargetExists : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Write `content` as dir/name (mode overwrite or fail_if_exists); the
// directory must exist. With `sync`, the
// file and the directory are fsynced before returning, so the file survives
// a crash once this returns. Returns the final path. Throws SysError or
// TargetExists.
std::string write_file(const std::string& dir, const std::string& name, std::string_view content, WriteMode mode,
                       bool sync);

}  // namespace ferry::file
