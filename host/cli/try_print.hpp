// The readable account `ferry try` prints of a dry run.
#pragma once

#include <filesystem>
#include <ostream>

#include "config/model.hpp"
#include "dryrun/trace.hpp"

namespace ferry::cli {

void print_trace(std::ostream& out, const config::ChannelSpec& channel, const std::filesystem::path& config_file,
                 const dryrun::Trace& trace, bool content_type_guessed);

}  // namespace ferry::cli
