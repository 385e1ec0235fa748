// The three ways file.writer puts content into a file. Readers of the target
// directory never see a half-written file in overwrite and fail_if_exists
// modes (temp file + rename/link); append mode cannot promise that, but it
// never leaves a partial record behind after a failed write.
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

// Write `content` as dir/name; the directory must exist. With `sync`, the
// file and the directory are fsynced before returning, so the file survives
// a crash once this returns. Returns the final path. Throws SysError or
// TargetExists.
std::string write_file(const std::string& dir, const std::string& name, std::string_view content, WriteMode mode,
                       bool sync);

}  // namespace ferry::file
