// One validator for the host's own config keys and every component's declared
// keys: checks types, ranges and allowed values, rejects unknown keys, fills
// defaults, and reports every error with its JSON pointer.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "config/diagnostics.hpp"

namespace ferry::config {

enum class ValueType {
  String,
  Integer,
  Number,
  Boolean,
  StringList,
  Json,        // any JSON value, checked by whoever consumes it
  Object,      // nested keys in `children`
  ObjectList,  // array of objects, each with `children`
};

struct KeySpec {
  std::string name;
  ValueType type = ValueType::String;
  bool required = false;
  bool secret = false;
  bool channel_ref = false;  // names channel ids (checked by runtime/binding)
  std::optional<nlohmann::json> fallback;  // default when absent
  std::string description;
  std::optional<double> min, max;  // value, string length or list length
  std::vector<std::string> allowed;
  std::vector<KeySpec> children;  // Object / ObjectList
};

std::string_view type_name(ValueType t);
// "integer 1..65535", "one of \"a\", \"b\"", ... used in errors and help.
std::string describe_expected(const KeySpec& key);

// Validate object `value` (at JSON pointer `path`) against `keys`.
void validate_object(nlohmann::json& value, const std::vector<KeySpec>& keys,
                     const std::string& path, Diagnostics& diag);

}  // namespace ferry::config
