// One message while a script works on it.
//
// Content changes are kept here and handed to the host only when
// transform() returns normally (commit), so a failed or filtered message
// keeps the content it came with; metadata is written at once. The HL7
// form is parsed on first use and serialized back only if it changed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <ferry/hl7/message.hpp>

#include "message_access.hpp"

namespace ferry::lua {

inline constexpr std::string_view kHl7ContentType = "application/hl7-v2";
inline constexpr std::string_view kJsonContentType = "application/json";

class MessageContext {
 public:
  explicit MessageContext(MessageAccess& host) : host_(host) {}

  MessageAccess& host() { return host_; }

  // The content as the script sees it now (HL7 edits included).
  std::string_view content();
  // The content this transformer was given.
  std::string_view original() const { return host_.content(); }
  void set_content(std::string_view content);

  std::string_view content_type() const { return type_ ? std::string_view(*type_) : host_.content_type(); }
  void set_content_type(std::string_view type) { type_ = std::string(type); }

  // The content as HL7, parsed on first use; throws std::runtime_error.
  hl7::Message& hl7();
  // After a change through hl7(): the content is now stale.
  void hl7_changed();

  // Grows whenever the content changes (cached views compare it).
  uint64_t version() const { return version_; }

  // Hand the changes to the host.
  void commit();

 private:
  void flush_hl7();

  MessageAccess& host_;
  std::optional<std::string> content_;  // set once the script changed it
  std::optional<std::string> type_;
  std::optional<hl7::Message> hl7_;
  bool hl7_dirty_ = false;
  uint64_t version_ = 1;
};

}  // namespace ferry::lua
