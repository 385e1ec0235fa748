#include "dryrun/input.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

namespace ferry::dryrun {

std::optional<std::string> read_bytes(const std::filesystem::path& file, std::string& error) {
  if (file == "-") {
    std::ostringstream all;
    all << std::cin.rdbuf();
    return all.str();
  }
  std::error_code ec;
  if (std::filesystem::is_directory(file, ec)) {
    error = file.string() + ": is a folder, not a file";
    return std::nullopt;
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    error = file.string() + ": cannot open: " + std::strerror(errno);
    return std::nullopt;
  }
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) {
    error = file.string() + ": cannot read";
    return std::nullopt;
  }
  return bytes;
}

const config::ChannelSpec* find_channel(const config::Config& config, const std::string& id, std::string& error) {
  std::string ids;
  for (const auto& ch : config.channels) {
    if (ch.id == id) return &ch;
    ids += (ids.empty() ? "" : ", ") + ch.id;
  }
  error = "no channel \"" + id + "\" in " + config.file.string() + " (its channels: " + (ids.empty() ? "none" : ids) + ")";
  return nullptr;
}

}  // namespace ferry::dryrun
