// The JSON body webhook.sender posts, and the stable event id that lets a
// receiver drop repeats. Pure functions (no host calls), so the unit tests
// pin the exact format documented in docs/plugins/webhook.md.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace webhook {

struct EnvelopeInput {
  std::string id;
  std::string event;
  std::string channel;
  std::string timestamp;  // ISO 8601 UTC of this attempt
  int64_t message_id = 0;
  std::string content_type;
  std::string_view content;
  std::vector<std::pair<std::string_view, std::string_view>> metadata;
  bool hl7_as_json = true;
  bool include_metadata = false;
};

// {"id", "event", "channel", "timestamp", "message_id", "content_type",
//  "data", ["data_encoding"], ["metadata"]} in that order, compact. "data" is
// the content parsed as JSON when the content type says JSON and it parses;
// HL7 v2 in the form of docs/hl7-json.md when hl7_as_json and it parses;
// else the text as a string, or base64 with "data_encoding": "base64" when
// it is not valid UTF-8.
std::string envelope_json(const EnvelopeInput& in);

// The same for every attempt of one message in one destination (and
// different for different content, so a message store that starts again at
// id 1 does not produce ids a receiver has seen): the first 128 bits of
// HMAC-SHA256(secret, channel NUL destination NUL message_id NUL content),
// written as a UUID (8-4-4-4-12 lowercase hex).
std::string event_id(std::string_view secret, std::string_view channel, std::string_view destination,
                     int64_t message_id, std::string_view content);

// Whether the content looks like HL7 v2 by its content type or its start.
bool looks_like_hl7(std::string_view content_type, std::string_view content);

}  // namespace webhook
