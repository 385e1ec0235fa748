// Config errors, each tied to the JSON pointer of the value at fault.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace ferry::config {

struct Diagnostic {
  std::string path;  // JSON pointer, e.g. /channels/0/source/config/port
  std::string message;
  std::string text() const { return (path.empty() ? "/" : path) + ": " + message; }
};

struct Diagnostics {
  std::vector<Diagnostic> errors;
  // JSON pointers of strings that came from ${env:..}/${file:..}, mapped to
  // the text as written: lets the validator coerce "${env:PORT}" into an
  // integer and print the reference (never the secret) in errors.
  std::map<std::string, std::string> references;

  void add(std::string path, std::string message) {
    errors.push_back({std::move(path), std::move(message)});
  }
  bool ok() const { return errors.empty(); }
};

// Append one JSON pointer token, escaped per RFC 6901.
std::string child_path(std::string_view parent, std::string_view key);
std::string child_path(std::string_view parent, size_t index);

}  // namespace ferry::config
