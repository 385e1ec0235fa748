// file.writer's file name template: "${message_id}.msg", "${date}-${meta:MSH-10}.hl7"...
#pragma once

#include <ferry/plugin.hpp>

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace ferry::file {

class NameTemplate {
 public:
  // Parse once at create, so a typo fails the config instead of every
  // message. Throws ferry::Error for an unknown placeholder, an unterminated
  // "${", or a '/' in the literal text (subfolders are not supported; use
  // `directory`).
  explicit NameTemplate(std::string_view text);

  // The file name for one message, at time `now`. '/' and NUL coming from
  // metadata become '_', so a value can never leave the directory. Throws
  // ferry::Error when the result is empty, "." or "..".
  std::string expand(const ferry::Message& m, std::chrono::system_clock::time_point now) const;

 private:
  enum class Kind { literal, message_id, timestamp, date, meta, uuid };
  struct Part {
    Kind kind;
    std::string text;  // literal text, or the metadata key
  };
  std::string source_;
  std::vector<Part> parts_;
};

// '/' and NUL to '_'.
std::string sanitize_file_name(std::string name);

}  // namespace ferry::file
