// file.writer: a destination that writes each message's content to a file.
#pragma once

#include <ferry/plugin.hpp>

#include <string>

#include "append_file.hpp"
#include "name_template.hpp"
#include "write_file.hpp"

namespace ferry::file {

class Writer : public ferry::SyncDestination {
 public:
  static constexpr const char* type = "file.writer";
  static constexpr const char* version = "1.0.0";
  static constexpr const char* description = "Writes each message's content to a file in a directory";
  static constexpr const char* const modes[] = {"overwrite", "append", "fail_if_exists", nullptr};
  static constexpr std::array config_keys = {
      ferry::Key::string("directory").describe("Directory to write files into").required().min(1),
      ferry::Key::string("filename")
          .describe("File name template (docs/templates.md): ${message_id}, ${date}, ${meta:KEY}, ${PID-3.1} ...")
          .fallback("\"${message_id}.msg\"")
          .min(1),
      ferry::Key::string("mode")
          .describe("overwrite: replace an existing file; append: add to it; fail_if_exists: fail the message")
          .fallback("\"overwrite\"")
          .one_of(modes),
      ferry::Key::boolean("fsync").describe("fsync the file and the directory before reporting success").fallback(
          "true"),
      ferry::Key::boolean("create_directory").describe("Create the directory when it is missing").fallback("true"),
  };

  Writer(ferry::Instance self, const ferry::Config& c);
  ferry::Message deliver(const ferry::Message& m) override;

 private:
  void ensure_directory() const;

  std::string directory_;
  NameTemplate filename_;
  WriteMode mode_;
  bool fsync_;
  bool create_directory_;
  AppendFile append_;  // mode append: the file kept open
};

}  // namespace ferry::file
