#include "config/schema.hpp"

#include <charconv>
#include <cmath>
#include <set>

namespace ferry::config {

std::string child_path(std::string_view parent, std::string_view key) {
  std::string out(parent);
  out += '/';
  for (char c : key) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

std::string child_path(std::string_view parent, size_t index) {
  return std::string(parent) + "/" + std::to_string(index);
}

std::string_view type_name(ValueType t) {
  switch (t) {
    case ValueType::String: return "string";
    case ValueType::Integer: return "integer";
    case ValueType::Number: return "number";
    case ValueType::Boolean: return "boolean";
    case ValueType::StringList: return "list of strings";
    case ValueType::Json: return "any JSON value";
    case ValueType::Object: return "object";
    case ValueType::ObjectList: return "list of objects";
  }
  return "value";
}

namespace {

std::string format_number(double v) {
  if (std::floor(v) == v && std::fabs(v) < 1e15) return std::to_string(static_cast<long long>(v));
  return nlohmann::json(v).dump();
}

std::string range_text(const KeySpec& k) {
  if (k.min && k.max) return format_number(*k.min) + ".." + format_number(*k.max);
  if (k.min) return ">= " + format_number(*k.min);
  if (k.max) return "<= " + format_number(*k.max);
  return {};
}

std::string shown(const nlohmann::json& v, const KeySpec& k, const std::string& path,
                  const Diagnostics& diag) {
  if (auto ref = diag.references.find(path); ref != diag.references.end())
    return "\"" + ref->second + "\" (resolved)";
  if (k.secret) return "<secret>";
  std::string s = v.dump();
  if (s.size() > 60) s = s.substr(0, 57) + "...";
  return s;
}

bool is_allowed(const KeySpec& k, const std::string& s) {
  if (k.allowed.empty()) return true;
  for (const auto& a : k.allowed)
    if (a == s) return true;
  return false;
}

// A string that came from a reference may stand for a number or boolean
// (e.g. "port": "${env:PORT}"): convert it in place when it parses.
void coerce_reference(nlohmann::json& v, const KeySpec& k, const std::string& path,
                      const Diagnostics& diag) {
  if (!v.is_string() || !diag.references.count(path)) return;
  const std::string s = v.get<std::string>();
  if (k.type == ValueType::Integer) {
    long long n = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (ec == std::errc() && p == s.data() + s.size()) v = n;
  } else if (k.type == ValueType::Number) {
    try {
      size_t used = 0;
      double d = std::stod(s, &used);
      if (used == s.size()) v = d;
    } catch (...) {
    }
  } else if (k.type == ValueType::Boolean) {
    if (s == "true") v = true;
    if (s == "false") v = false;
  }
}

void validate_value(nlohmann::json& v, const KeySpec& k, const std::string& path,
                    Diagnostics& diag) {
  coerce_reference(v, k, path, diag);
  auto fail = [&] {
    diag.add(path, "expected " + describe_expected(k) + ", got " + shown(v, k, path, diag));
  };
  auto in_range = [&](double x) {
    return (!k.min || x >= *k.min) && (!k.max || x <= *k.max);
  };
  switch (k.type) {
    case ValueType::String: {
      if (!v.is_string()) return fail();
      const auto& s = v.get_ref<const std::string&>();
      if (!in_range(static_cast<double>(s.size())) || !is_allowed(k, s)) return fail();
      return;
    }
    case ValueType::Integer:
      if (!v.is_number_integer() || !in_range(v.get<double>())) return fail();
      return;
    case ValueType::Number:
      if (!v.is_number() || !in_range(v.get<double>())) return fail();
      return;
    case ValueType::Boolean:
      if (!v.is_boolean()) return fail();
      return;
    case ValueType::StringList: {
      if (!v.is_array() || !in_range(static_cast<double>(v.size()))) return fail();
      for (size_t i = 0; i < v.size(); ++i) {
        const std::string item_path = child_path(path, i);
        if (!v[i].is_string() || !is_allowed(k, v[i].get<std::string>()))
          diag.add(item_path, "expected " + describe_expected(k) + " item, got " +
                                  shown(v[i], k, item_path, diag));
      }
      return;
    }
    case ValueType::Json:
      return;
    case ValueType::Object:
      if (!v.is_object()) return fail();
      validate_object(v, k.children, path, diag);
      return;
    case ValueType::ObjectList:
      if (!v.is_array() || !in_range(static_cast<double>(v.size()))) return fail();
      for (size_t i = 0; i < v.size(); ++i) {
        const std::string item_path = child_path(path, i);
        if (!v[i].is_object())
          diag.add(item_path, "expected object, got " + shown(v[i], k, item_path, diag));
        else
          validate_object(v[i], k.children, item_path, diag);
      }
      return;
  }
}

}  // namespace

std::string describe_expected(const KeySpec& k) {
  std::string out(type_name(k.type));
  const std::string range = range_text(k);
  if (!range.empty()) {
    if (k.type == ValueType::String) out += " of length " + range;
    else if (k.type == ValueType::StringList || k.type == ValueType::ObjectList)
      out += " with " + range + " items";
    else out += " " + range;
  }
  if (!k.allowed.empty()) {
    out += " (one of ";
    for (size_t i = 0; i < k.allowed.size(); ++i)
      out += (i ? ", \"" : "\"") + k.allowed[i] + "\"";
    out += ")";
  }
  return out;
}

void validate_object(nlohmann::json& value, const std::vector<KeySpec>& keys,
                     const std::string& path, Diagnostics& diag) {
  if (!value.is_object()) {
    diag.add(path, "expected object, got " + value.dump());
    return;
  }
  std::set<std::string> known;
  for (const auto& k : keys) {
    known.insert(k.name);
    const std::string key_path = child_path(path, k.name);
    auto it = value.find(k.name);
    if (it == value.end()) {
      if (k.required) {
        diag.add(key_path, "required key is missing (" + describe_expected(k) + ")");
      } else if (k.fallback) {
        auto& filled = value[k.name] = *k.fallback;
        validate_value(filled, k, key_path, diag);  // fills nested defaults
      }
      continue;
    }
    validate_value(*it, k, key_path, diag);
  }
  for (const auto& [name, unused] : value.items()) {
    if (known.count(name)) continue;
    std::string hint = "unknown key";
    if (!keys.empty()) {
      hint += " (known keys: ";
      for (size_t i = 0; i < keys.size(); ++i) hint += (i ? ", " : "") + keys[i].name;
      hint += ")";
    }
    diag.add(child_path(path, name), hint);
  }
}

}  // namespace ferry::config
