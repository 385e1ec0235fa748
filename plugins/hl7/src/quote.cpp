#include "quote.hpp"

#include <nlohmann/json.hpp>

namespace ferry::hl7plugin {

std::string quote_text(std::string_view value, size_t max_bytes) {
  std::string_view shown = value;
  if (shown.size() > max_bytes) {
    size_t cut = max_bytes;
    // Never cut inside a UTF-8 sequence: back up over continuation bytes.
    while (cut > 0 && (static_cast<unsigned char>(value[cut]) & 0xC0) == 0x80) --cut;
    shown = value.substr(0, cut);
  }
  std::string out = nlohmann::json(std::string(shown)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (shown.size() < value.size()) out += "... (" + std::to_string(value.size()) + " bytes)";
  return out;
}

std::string shown(const std::optional<std::string>& value) { return value ? quote_text(*value) : "(absent)"; }

std::string quote_list(const std::vector<std::string>& values, size_t max_items) {
  std::string out = "[";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ", ";
    if (i == max_items) {
      out += "..., " + std::to_string(values.size()) + " values in all";
      break;
    }
    out += quote_text(values[i]);
  }
  return out + "]";
}

}  // namespace ferry::hl7plugin
