// Reading what a dry run needs from disk.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "config/model.hpp"

namespace ferry::dryrun {

// The whole file as bytes ("-" reads stdin); nullopt with `error` set when
// it cannot be read.
std::optional<std::string> read_bytes(const std::filesystem::path& file, std::string& error);

// The channel with this id, or null with `error` naming the channels there are.
const config::ChannelSpec* find_channel(const config::Config& config, const std::string& id, std::string& error);

}  // namespace ferry::dryrun
