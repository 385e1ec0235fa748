// Runs the fuzz target's checks (fuzz_parse.cpp) without libFuzzer, on the
// files and directories given, and on prefixes of each file: the seed
// corpora then guard the same properties in every build, sanitizers included.
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

void run(const std::string& bytes) {
  // Prefixes cut messages in many places: every place in the first 256
  // bytes (the MSH), every 8th after that, so big files stay cheap.
  for (size_t n = 0; n < bytes.size(); n += n < 256 ? 1 : 8) {
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(bytes.data()), n);
  }
  LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
}

}  // namespace

int main(int argc, char** argv) {
  size_t files = 0;
  for (int i = 1; i < argc; ++i) {
    std::vector<std::filesystem::path> paths;
    if (std::filesystem::is_directory(argv[i])) {
      for (const auto& entry : std::filesystem::directory_iterator(argv[i])) {
        if (entry.is_regular_file()) paths.push_back(entry.path());
      }
    } else {
      paths.emplace_back(argv[i]);
    }
    for (const auto& path : paths) {
      std::ifstream in(path, std::ios::binary);
      if (!in) {
        std::cerr << path << ": cannot read\n";
        return 1;
      }
      std::stringstream bytes;
      bytes << in.rdbuf();
      run(bytes.str());
      ++files;
    }
  }
  std::cout << files << " inputs replayed\n";
  return files > 0 ? 0 : 1;
}
