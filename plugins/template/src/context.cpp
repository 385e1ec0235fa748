#include <ferry/template/template.hpp>

#include <ferry/hl7/message.hpp>
#include <nlohmann/json.hpp>

namespace ferry::tmpl {

// The content parsed at most once, and only into what some placeholder asked
// for: a URL with ${PID-3.1} never pays for a JSON parse and vice versa.
struct Context::Parsed {
  bool hl7_tried = false;
  std::optional<ferry::hl7::Message> hl7;
  bool json_tried = false;
  nlohmann::json json;  // discarded when the content is not JSON
};

Context::Context(const ferry::Message& message, std::string channel, std::chrono::system_clock::time_point now)
    : message_(message), channel_(std::move(channel)), now_(now), parsed_(std::make_unique<Parsed>()) {}

Context::~Context() = default;

std::optional<std::string> Context::hl7(std::string_view path) const {
  if (!parsed_->hl7_tried) {
    parsed_->hl7_tried = true;
    const std::string_view content = message_.content();
    if (content.substr(0, 3) == "MSH") {
      try {
        parsed_->hl7 = ferry::hl7::Message::parse(content);
      } catch (const std::exception&) {
        // Not parsable as HL7: every HL7 placeholder expands as missing.
      }
    }
  }
  if (!parsed_->hl7) return std::nullopt;
  try {
    return parsed_->hl7->get(path);
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::optional<std::string> Context::json(std::string_view pointer) const {
  if (!parsed_->json_tried) {
    parsed_->json_tried = true;
    parsed_->json = nlohmann::json::parse(message_.content(), nullptr, /*allow_exceptions=*/false);
  }
  if (parsed_->json.is_discarded()) return std::nullopt;
  try {
    const nlohmann::json& value = parsed_->json.at(nlohmann::json::json_pointer(std::string(pointer)));
    if (value.is_string()) return value.get<std::string>();
    if (value.is_null()) return std::string();
    return value.dump();
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace ferry::tmpl
