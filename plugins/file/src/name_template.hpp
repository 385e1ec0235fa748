// file.writer's file name: a message template (plugins/template) that must
// stay inside the target directory.
#pragma once

#include <ferry/plugin.hpp>
#include <ferry/template/template.hpp>

#include <chrono>
#include <string>
#include <string_view>

namespace ferry::file {

class NameTemplate {
 public:
  // Parsed once at create, so a typo fails the config instead of every
  // message. Throws ferry::Error for a template error or a '/' in the literal
  // text (subfolders are not supported; use `directory`).
  explicit NameTemplate(std::string_view text);

  // The file name for one message, at time `now`. '/' and NUL coming from
  // values become '_', so a value can never leave the directory. Throws
  // ferry::Error when the result is empty, "." or "..".
  std::string expand(const ferry::Message& m, std::chrono::system_clock::time_point now) const;

 private:
  ferry::tmpl::Template template_;
};

// '/' and NUL to '_'.
std::string sanitize_file_name(std::string name);

}  // namespace ferry::file
