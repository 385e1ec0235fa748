// Running the cases of one test file, in this process.
#pragma once

#include <filesystem>

namespace ferry::cli {

struct FileResult {
  int passed = 0;
  int failed = 0;
  int status = 0;  // 0 all passed, 1 a case failed, 2 the file, its config or its channel is unusable
};

// Prints each case's result (stdout) and any error in the file (stderr).
FileResult run_test_file(const std::filesystem::path& file);

}  // namespace ferry::cli
