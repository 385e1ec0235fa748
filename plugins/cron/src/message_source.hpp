// cron.message: a source that emits one generated message each time the
// channel's schedule polls it (and never otherwise: it has no timer of its
// own), so a schedule can trigger a channel, e.g. a nightly batch.
#pragma once

#include <ferry/plugin.hpp>
#include <ferry/template/template.hpp>

#include <string>
#include <utility>
#include <vector>

namespace ferry::cron {

class MessageSource : public ferry::Source {
 public:
  static constexpr const char* type = "cron.message";
  static constexpr const char* version = "1.0.0";
  static constexpr const char* description =
      "Emits one generated message (templates: ${iso_time}, ${uuid}...) each time the channel's schedule fires";
  static constexpr std::array config_keys = {
      ferry::Key::string("content")
          .describe("Message content, a template: ${iso_time}, ${timestamp}, ${date}, ${uuid}, ${channel}")
          .fallback("\"\""),
      ferry::Key::string("content_type").describe("Content type of the message").fallback("\"text/plain\"").min(1),
      ferry::Key::json("metadata")
          .describe("Metadata to set: an object of string values, each a template like content")
          .fallback("{}"),
  };

  MessageSource(ferry::Instance self, const ferry::Config& config);
  void poll() override;

 private:
  ferry::tmpl::Template content_;
  std::string content_type_;
  std::vector<std::pair<std::string, ferry::tmpl::Template>> metadata_;
};

}  // namespace ferry::cron
