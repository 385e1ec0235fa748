// The ferry subcommands. Each takes the arguments after its name and returns
// the process exit status.
#pragma once

#include <string>
#include <vector>

namespace ferry::cli {

int run_command(const std::vector<std::string>& args);
int check_command(const std::vector<std::string>& args);
int plugins_command(const std::vector<std::string>& args);
int messages_command(const std::vector<std::string>& args);
int stats_command(const std::vector<std::string>& args);
int test_command(const std::vector<std::string>& args);
int try_command(const std::vector<std::string>& args);

}  // namespace ferry::cli
