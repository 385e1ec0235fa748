#include "transform.hpp"

#include "apply.hpp"
#include "content.hpp"
#include "rule_config.hpp"

namespace ferry::hl7plugin {

Transform::Transform(ferry::Instance self, const ferry::Config& c)
    : Transformer(self), rules_(parse_rules(c.raw_json("rules").value_or("null"))) {}

void Transform::transform(ferry::Message& m) {
  hl7::Message hl7 = parse_hl7(m.content());
  if (apply_rules(rules_, hl7, m)) m.set_content(hl7.serialize());
  if (m.content_type() != kHl7ContentType) m.set_content_type(kHl7ContentType);
}

}  // namespace ferry::hl7plugin
