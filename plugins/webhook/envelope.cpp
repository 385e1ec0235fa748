#include "envelope.hpp"

#include <ferry/hl7/message.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>

#include "signature.hpp"

namespace webhook {

namespace {

std::string lowercase(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool is_json_type(std::string_view content_type) {
  const std::string t = lowercase(content_type.substr(0, content_type.find(';')));
  return t.find("json") != std::string::npos;  // application/json, application/fhir+json, text/json
}

bool valid_utf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t extra = 0;
    uint32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      extra = 1;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      extra = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + extra >= s.size()) return false;  // cut off at the end
    for (size_t k = 1; k <= extra; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = cp << 6 | (cc & 0x3F);
    }
    // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
    if ((extra == 1 && cp < 0x80) || (extra == 2 && cp < 0x800) || (extra == 3 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    i += extra + 1;
  }
  return true;
}

}  // namespace

bool looks_like_hl7(std::string_view content_type, std::string_view content) {
  const std::string t = lowercase(content_type.substr(0, content_type.find(';')));
  if (t.find("hl7") != std::string::npos) return true;  // application/hl7-v2, x-application/hl7-v2+er7
  return content.size() > 4 && content.substr(0, 3) == "MSH" && !std::isalnum(static_cast<unsigned char>(content[3]));
}

std::string envelope_json(const EnvelopeInput& in) {
  nlohmann::ordered_json j;
  j["id"] = in.id;
  j["event"] = in.event;
  j["channel"] = in.channel;
  j["timestamp"] = in.timestamp;
  j["message_id"] = in.message_id;
  j["content_type"] = in.content_type;
  bool done = false;
  if (is_json_type(in.content_type)) {
    try {
      j["data"] = nlohmann::ordered_json::parse(in.content);
      done = true;
    } catch (const std::exception&) {  // not JSON after all: sent as text below
    }
  }
  if (!done && in.hl7_as_json && looks_like_hl7(in.content_type, in.content)) {
    try {
      j["data"] = ferry::hl7::Message::parse(in.content).to_json();
      done = true;
    } catch (const std::exception&) {  // not parsable HL7: sent as text below
    }
  }
  if (!done) {
    if (valid_utf8(in.content)) {
      j["data"] = std::string(in.content);
    } else {
      j["data"] = to_base64(in.content);
      j["data_encoding"] = "base64";
    }
  }
  if (in.include_metadata) {
    nlohmann::ordered_json meta = nlohmann::ordered_json::object();
    for (const auto& [k, v] : in.metadata) meta[std::string(k)] = std::string(v);
    j["metadata"] = std::move(meta);
  }
  // Invalid UTF-8 elsewhere (metadata, event) becomes U+FFFD instead of
  // failing the delivery.
  return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

std::string event_id(std::string_view secret, std::string_view channel, std::string_view destination,
                     int64_t message_id, std::string_view content) {
  std::string input;
  input.reserve(channel.size() + destination.size() + content.size() + 24);
  input.append(channel);
  input += '\0';
  input.append(destination);
  input += '\0';
  input += std::to_string(message_id);
  input += '\0';
  input.append(content);
  const std::string hex = to_hex(hmac_sha256(secret, input)).substr(0, 32);
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" + hex.substr(16, 4) + "-" +
         hex.substr(20, 12);
}

}  // namespace webhook
