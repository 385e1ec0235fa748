// An in-memory message and helpers to run scripts on it.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "message_access.hpp"
#include "options.hpp"
#include "script.hpp"

namespace ferry::lua::test {

class FakeMessage final : public MessageAccess {
 public:
  explicit FakeMessage(std::string content = {}, std::string type = "text/plain")
      : content_(std::move(content)), type_(std::move(type)) {}

  std::string_view content() const override { return content_; }
  std::string_view content_type() const override { return type_; }
  void set_content(std::string_view c) override {
    content_ = c;
    ++content_writes;
  }
  void set_content_type(std::string_view t) override { type_ = t; }
  std::optional<std::string_view> meta(std::string_view key) const override;
  void set_meta(std::string_view key, std::string_view value) override;
  void remove_meta(std::string_view key) override;
  size_t meta_count() const override { return meta_.size(); }
  std::pair<std::string_view, std::string_view> meta_at(size_t i) const override { return meta_[i]; }
  int64_t id() const override { return 42; }

  int content_writes = 0;
  std::vector<std::pair<std::string, std::string>> meta_;

 private:
  std::string content_, type_;
};

// A sample ADT^A01 with two OBX and a repeated PID-3 (CR separated).
extern const std::string kAdt;

Options inline_script(std::string source);

// Runs transform on one message with the source, returns the outcome.
struct Run {
  Outcome outcome;
  FakeMessage message;
  std::vector<std::string> log;  // "info: text"
};
Run run_once(const std::string& source, const std::string& content, const std::string& type = "text/plain",
             Options options = {});

// A Script whose log lines go to *lines.
Script make_script(Options options, std::vector<std::string>* lines = nullptr);

}  // namespace ferry::lua::test

// The run succeeded (else show the script's error).
#define REQUIRE_OK(r)                                \
  do {                                               \
    INFO((r).outcome.text);                          \
    REQUIRE((r).outcome.kind == Outcome::Kind::ok);  \
  } while (0)
