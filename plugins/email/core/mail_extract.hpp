// What one fetched mail becomes in a channel: the whole mail, its text
// body, or one message per attachment whose name matches a pattern; each
// with the mail's metadata and a dedupe_key that is the same every time the
// same mail is read, so reading it again after a crash stores nothing twice.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ferry::email {

enum class ReadMode { mail, body, attachments };

// Where the mail came from; used for metadata and for the dedupe key of a
// mail without a Message-ID.
struct MailOrigin {
  std::string account;  // user@host
  std::string folder;
  uint32_t uidvalidity = 0;
  uint32_t uid = 0;
};

struct ExtractedMessage {
  std::string content;
  std::string content_type;
  std::vector<std::pair<std::string, std::string>> meta;
};

struct Extraction {
  std::vector<ExtractedMessage> messages;
  std::string problem;  // why nothing could be taken (then messages is empty)
};

// pattern: fnmatch(3) glob matched case-insensitively against attachment
// file names (attachments mode only).
Extraction extract_messages(std::string_view raw, ReadMode mode, const std::string& pattern, const MailOrigin& origin);

}  // namespace ferry::email
