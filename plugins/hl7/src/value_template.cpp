#include "value_template.hpp"

#include <stdexcept>

#include "rule_path.hpp"

namespace ferry::hl7plugin {

ValueTemplate ValueTemplate::parse(std::string_view text) {
  ValueTemplate t;
  std::string literal;
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t start = text.find("${", pos);
    if (start == std::string_view::npos) {
      literal.append(text.substr(pos));
      break;
    }
    literal.append(text.substr(pos, start - pos));
    const size_t end = text.find('}', start);
    if (end == std::string_view::npos) {
      throw std::invalid_argument("has an unterminated placeholder " + std::string(text.substr(start)) +
                                  " (missing '}')");
    }
    const std::string_view inner = text.substr(start + 2, end - start - 2);
    const std::string written = "${" + std::string(inner) + "}";
    Part part{Part::text, {}};
    if (inner.starts_with("meta:")) {
      part = {Part::meta, std::string(inner.substr(5))};
      if (part.value.empty()) throw std::invalid_argument("has " + written + " without a metadata key");
    } else if (inner.starts_with("path:")) {
      part = {Part::path, std::string(inner.substr(5))};
      try {
        RulePath::parse(part.value);
      } catch (const std::invalid_argument& e) {
        throw std::invalid_argument("has " + written + ": " + e.what());
      }
    } else {
      throw std::invalid_argument("has an unknown placeholder " + written +
                                  " (only ${meta:KEY} and ${path:PATH} are allowed)");
    }
    if (!literal.empty()) t.parts_.push_back({Part::text, std::move(literal)});
    literal.clear();
    t.parts_.push_back(std::move(part));
    pos = end + 1;
  }
  if (!literal.empty()) t.parts_.push_back({Part::text, std::move(literal)});
  return t;
}

std::string ValueTemplate::expand(const hl7::Message& hl7, const ferry::Message& message) const {
  std::string out;
  for (const Part& part : parts_) {
    switch (part.kind) {
      case Part::text:
        out += part.value;
        break;
      case Part::meta:
        if (const auto v = message.meta(part.value)) out += *v;
        break;
      case Part::path:
        if (const auto v = hl7.get(part.value)) out += *v;
        break;
    }
  }
  return out;
}

}  // namespace ferry::hl7plugin
