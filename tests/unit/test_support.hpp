// Helpers shared by the unit tests: temporary folders and config files.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "config/diagnostics.hpp"

namespace ferry::test {

// A fresh folder under the system temp dir, removed by the destructor.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path write(const std::string& name, const std::string& content) const;
  std::string read(const std::string& name) const;

 private:
  std::filesystem::path path_;
};

// All error texts, one per line, for readable failure output.
std::string all_errors(const config::Diagnostics& diag);
bool has_error(const config::Diagnostics& diag, const std::string& path, const std::string& fragment);

std::filesystem::path test_plugin_dir();

}  // namespace ferry::test
