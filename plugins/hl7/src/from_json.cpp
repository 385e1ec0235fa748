#include "from_json.hpp"

#include <ferry/hl7/message.hpp>

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

#include "content.hpp"

namespace ferry::hl7plugin {

FromJson::FromJson(ferry::Instance self, const ferry::Config&) : Transformer(self) {}

void FromJson::transform(ferry::Message& m) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(m.content());
  } catch (const nlohmann::json::exception& e) {
    throw ferry::Error(std::string("content is not JSON: ") + e.what());
  }
  std::string bytes;
  try {
    bytes = hl7::Message::from_json(j).serialize();
  } catch (const std::invalid_argument& e) {
    throw ferry::Error(e.what());
  }
  m.set_content(bytes);
  m.set_content_type(kHl7ContentType);
}

}  // namespace ferry::hl7plugin
