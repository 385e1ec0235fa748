// A channel test file (docs/testing.md): which config and channel, and cases
// of input messages with what each destination should (not) receive.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "config/diagnostics.hpp"
#include "dryrun/trace.hpp"

namespace ferry::cli {

// A value at an HL7 path or metadata key: nullopt means "must be absent".
using ExpectedText = std::optional<std::string>;

struct DestinationExpect {
  std::string id;
  std::string path;  // JSON pointer of this expectation in the test file
  bool delivered = true;  // stated, or implied by the other checks
  std::optional<std::string> equals_file;  // as written (relative to the test file)
  std::string equals_content;              // that file's bytes
  std::vector<std::string> content_contains;
  std::optional<std::string> content_type;
  std::vector<std::pair<std::string, ExpectedText>> hl7;       // path, value
  std::vector<std::pair<std::string, nlohmann::json>> json;    // JSON pointer, value
  std::vector<std::pair<std::string, ExpectedText>> metadata;  // key, value
  std::optional<std::string> filtered;  // reason substring
  std::optional<std::string> error;     // error text substring
};

struct TestCase {
  std::string name;
  std::string path;  // JSON pointer of the case
  dryrun::Snapshot input;  // content type filled in (stated or guessed)
  bool content_type_guessed = false;
  std::vector<DestinationExpect> expect;  // test file order
  std::optional<std::string> channel_filtered;
  std::optional<std::string> channel_error;
};

struct TestFile {
  std::filesystem::path file;
  std::filesystem::path config;  // resolved against the test file's folder
  std::string channel;
  std::vector<TestCase> cases;
};

// Reads and checks the whole file; every problem goes to diag with its JSON
// pointer. The result is usable only when diag.ok().
TestFile read_test_file(const std::filesystem::path& file, config::Diagnostics& diag);

}  // namespace ferry::cli
