// Comparing what a dry run did with what a test case expects.
#pragma once

#include <string>
#include <vector>

#include "cli/test_file.hpp"
#include "dryrun/trace.hpp"

namespace ferry::cli {

struct CheckFailure {
  std::string where;   // `channel` or `destination "out"`
  std::string check;   // e.g. `hl7 PID-5.1`, `equals_file expected/a01.hl7`
  std::string detail;  // expected vs actual, or a unified diff; lines end with \n
};

// Empty when the case passes. An error in any transformer fails the case
// unless the case expects that error.
std::vector<CheckFailure> check_case(const TestCase& c, const dryrun::Trace& trace);

}  // namespace ferry::cli
