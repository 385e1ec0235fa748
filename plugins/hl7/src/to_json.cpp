#include "to_json.hpp"

#include <nlohmann/json.hpp>

#include "content.hpp"

namespace ferry::hl7plugin {

ToJson::ToJson(ferry::Instance self, const ferry::Config& c) : Transformer(self), pretty_(c.boolean("pretty")) {}

void ToJson::transform(ferry::Message& m) {
  const nlohmann::json j = parse_hl7(m.content()).to_json();
  m.set_content(j.dump(pretty_ ? 2 : -1));
  m.set_content_type(kJsonContentType);
}

}  // namespace ferry::hl7plugin
