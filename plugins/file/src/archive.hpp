// Moving a finished input file out of the reader's directory (into
// done_directory or error_directory) without ever overwriting an earlier
// file of the same name there.
#pragma once

#include <string>

namespace ferry::file {

// Move src_dir/name into target_dir (created if missing). The file keeps its
// name unless that is taken; then it becomes "<name>.<UTC timestamp>" and,
// if even that is taken, "<name>.<UTC timestamp>-<n>". Works across
// filesystems (copy, fsync, then remove). Both directories are fsynced, so a
// crash cannot bring a finished file back into the input directory.
// Returns the final path; throws SysError.
std::string archive_file(const std::string& src_dir, const std::string& name, const std::string& target_dir);

// Delete src_dir/name durably (the directory is fsynced). Throws SysError.
void delete_file(const std::string& src_dir, const std::string& name);

}  // namespace ferry::file
