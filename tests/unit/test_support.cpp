#include "test_support.hpp"

#include <fstream>
#include <random>
#include <sstream>

namespace ferry::test {

TempDir::TempDir() {
  std::random_device rd;
  path_ = std::filesystem::temp_directory_path() / ("ferry-unit-" + std::to_string(rd()) + std::to_string(rd()));
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::filesystem::path TempDir::write(const std::string& name, const std::string& content) const {
  const auto p = path_ / name;
  std::ofstream(p, std::ios::binary) << content;
  return p;
}

std::string TempDir::read(const std::string& name) const {
  std::ifstream in(path_ / name, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string all_errors(const config::Diagnostics& diag) {
  std::string out;
  for (const auto& e : diag.errors) out += e.text() + "\n";
  return out;
}

bool has_error(const config::Diagnostics& diag, const std::string& path, const std::string& fragment) {
  for (const auto& e : diag.errors)
    if (e.path == path && e.message.find(fragment) != std::string::npos) return true;
  return false;
}

std::filesystem::path test_plugin_dir() { return FERRY_TEST_PLUGIN_DIR; }

}  // namespace ferry::test
