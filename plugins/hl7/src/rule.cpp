#include "rule.hpp"

#include "quote.hpp"

namespace ferry::hl7plugin {

namespace {

struct What {
  std::string operator()(const FilterRule& r) const { return "filter " + r.path.text; }
  std::string operator()(const SetRule& r) const { return "set " + r.path.text; }
  std::string operator()(const CopyRule& r) const { return "copy " + r.from.text + " to " + r.to.text; }
  std::string operator()(const DeleteRule& r) const { return "delete " + r.path.text; }
  std::string operator()(const MapRule& r) const { return "map " + r.path.text; }
  std::string operator()(const MetaRule& r) const { return "meta " + r.key + " from " + r.path.text; }
};

}  // namespace

std::string Rule::label() const {
  return "rule " + std::to_string(index) + (name.empty() ? "" : " " + quote_text(name)) + " (" + std::visit(What{}, body) +
         ")";
}

}  // namespace ferry::hl7plugin
