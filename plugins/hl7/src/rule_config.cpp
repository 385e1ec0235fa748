#include "rule_config.hpp"

#include <ferry/plugin.hpp>

#include <array>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "quote.hpp"

namespace ferry::hl7plugin {

namespace {

using nlohmann::json;

constexpr std::array<const char*, 6> kKinds = {"filter", "set", "copy", "delete", "map", "meta"};
constexpr const char* kKindList = "\"filter\", \"set\", \"copy\", \"delete\", \"map\" or \"meta\"";

// One problem of the rule being read.
struct Bad : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::string q(std::string_view key) { return "\"" + std::string(key) + "\""; }

// A rule's body object: only the listed keys, typed getters.
class Body {
 public:
  Body(const json& j, std::initializer_list<const char*> keys, const char* example) : j_(j) {
    if (!j.is_object()) throw Bad(std::string("must be an object, e.g. ") + example);
    for (const auto& [key, value] : j.items()) {
      bool known = false;
      std::string expected;
      for (const char* k : keys) {
        known = known || key == k;
        expected += (expected.empty() ? "" : ", ") + q(k);
      }
      if (!known) throw Bad("unknown key " + quote_text(key) + " (expected " + expected + ")");
    }
  }
  bool has(const char* key) const { return j_.contains(key); }
  const json& at(const char* key) const {
    if (!j_.contains(key)) throw Bad(q(key) + " is missing");
    return j_[key];
  }
  std::string string(const char* key) const {
    const json& v = at(key);
    if (!v.is_string()) throw Bad(q(key) + " must be a string");
    return v.get<std::string>();
  }
  bool boolean(const char* key) const {
    const json& v = at(key);
    if (!v.is_boolean()) throw Bad(q(key) + " must be true or false");
    return v.get<bool>();
  }
  RulePath path(const char* key) const {
    const std::string text = string(key);
    try {
      return RulePath::parse(text);
    } catch (const std::invalid_argument& e) {
      throw Bad(q(key) + ": " + e.what());
    }
  }
  // A path the rule changes; `segment_ok` for delete.
  RulePath target(const char* key, bool segment_ok = false) const {
    RulePath p = path(key);
    if (const auto problem = write_problem(p, segment_ok)) throw Bad(q(key) + " " + quote_text(p.text) + ": " + *problem);
    return p;
  }
  // A path the rule reads a single value from (not a whole segment).
  RulePath value_path(const char* key) const {
    RulePath p = path(key);
    if (p.whole_segment()) {
      throw Bad(q(key) + " " + quote_text(p.text) + ": names a whole segment; give a field, e.g. " + p.path.segment + "-3");
    }
    return p;
  }

 private:
  const json& j_;
};

FilterRule read_filter(const json& j) {
  const Body b(j, {"path", "equals", "in", "regex", "exists", "not"}, R"({"path": "MSH-9.1", "in": ["ADT", "ORU"]})");
  FilterRule r;
  r.path = b.path("path");
  size_t tests = 0;
  for (const char* k : {"equals", "in", "regex", "exists"}) tests += b.has(k) ? 1 : 0;
  if (tests != 1) {
    throw Bad(std::string(tests == 0 ? "needs" : "has more than one test; give exactly") +
              " one of \"equals\", \"in\", \"regex\", \"exists\"");
  }
  if (b.has("not")) r.negate = b.boolean("not");
  if (b.has("equals")) {
    r.test = FilterRule::Test::equals;
    r.equals = b.string("equals");
  } else if (b.has("in")) {
    r.test = FilterRule::Test::in;
    const json& list = b.at("in");
    bool ok = list.is_array() && !list.empty();
    for (const auto& v : list) ok = ok && v.is_string();
    if (!ok) throw Bad("\"in\" must be a non-empty array of strings");
    for (const auto& v : list) r.in.push_back(v.get<std::string>());
  } else if (b.has("regex")) {
    r.test = FilterRule::Test::regex;
    r.pattern = b.string("regex");
    try {
      r.regex = std::regex(r.pattern, std::regex::ECMAScript);
    } catch (const std::regex_error& e) {
      throw Bad("\"regex\" " + quote_text(r.pattern) + " is not a valid ECMAScript regex: " + e.what());
    }
  } else {
    r.test = FilterRule::Test::exists;
    r.exists = b.boolean("exists");
  }
  return r;
}

SetRule read_set(const json& j) {
  const Body b(j, {"path", "value"}, R"({"path": "PID-8", "value": "U"})");
  SetRule r{b.target("path"), {}};
  const std::string value = b.string("value");
  try {
    r.value = ValueTemplate::parse(value);
  } catch (const std::invalid_argument& e) {
    throw Bad("\"value\" " + quote_text(value) + " " + e.what());
  }
  return r;
}

CopyRule read_copy(const json& j) {
  const Body b(j, {"from", "to"}, R"({"from": "PID-3.1", "to": "PID-2"})");
  return {b.value_path("from"), b.target("to")};
}

DeleteRule read_delete(const json& j) {
  const Body b(j, {"path"}, R"({"path": "NK1"} or {"path": "PID-19"})");
  return {b.target("path", true)};
}

MapRule read_map(const json& j) {
  const Body b(j, {"path", "table", "default"}, R"({"path": "PID-8", "table": {"M": "male"}, "default": "keep"})");
  MapRule r;
  r.path = b.target("path");
  const json& table = b.at("table");
  bool ok = table.is_object();
  for (const auto& [from, to] : table.items()) ok = ok && to.is_string();
  if (!ok) throw Bad("\"table\" must be an object of strings");
  for (const auto& [from, to] : table.items()) r.table.emplace(from, to.get<std::string>());
  if (b.has("default")) {
    const json& d = b.at("default");
    if (d == "keep") {
      r.fallback = MapRule::Default::keep;
    } else if (d == "error") {
      r.fallback = MapRule::Default::error;
    } else if (d.is_object() && d.size() == 1 && d.contains("value") && d["value"].is_string()) {
      r.fallback = MapRule::Default::value;
      r.fallback_value = d["value"].get<std::string>();
    } else {
      throw Bad(R"("default" must be "keep", "error" or {"value": "X"})");
    }
  }
  return r;
}

MetaRule read_meta(const json& j) {
  const Body b(j, {"key", "path"}, R"({"key": "patient_id", "path": "PID-3.1"})");
  MetaRule r{b.string("key"), b.path("path")};
  if (r.key.empty()) throw Bad("\"key\" must not be empty");
  return r;
}

Rule read_rule(const std::string& kind, const json& body) {
  Rule r;
  if (kind == "filter") r.body = read_filter(body);
  else if (kind == "set") r.body = read_set(body);
  else if (kind == "copy") r.body = read_copy(body);
  else if (kind == "delete") r.body = read_delete(body);
  else if (kind == "map") r.body = read_map(body);
  else r.body = read_meta(body);
  return r;
}

// One rule object; problems are reported with `where` (rules[3] "name" (map)).
Rule read_entry(size_t index, const json& j) {
  std::string where = "rules[" + std::to_string(index) + "]";
  try {
    if (!j.is_object()) {
      throw Bad(std::string("must be an object with one of ") + kKindList + " (and optionally \"name\")");
    }
    std::string name;
    if (j.contains("name")) {
      if (!j["name"].is_string() || j["name"].get_ref<const std::string&>().empty()) {
        throw Bad("\"name\" must be a non-empty string");
      }
      name = j["name"].get<std::string>();
      where += " " + quote_text(name);
    }
    std::string kind;
    for (const auto& [key, value] : j.items()) {
      if (key == "name") continue;
      bool known = false;
      for (const char* k : kKinds) known = known || key == k;
      if (!known) throw Bad("unknown rule " + quote_text(key) + " (expected " + kKindList + ")");
      if (!kind.empty()) throw Bad("has both " + q(kind) + " and " + q(key) + "; give one rule per object");
      kind = key;
    }
    if (kind.empty()) throw Bad(std::string("has no rule (expected one of ") + kKindList + ")");
    where += " (" + kind + ")";
    Rule r = read_rule(kind, j[kind]);
    r.index = index;
    r.name = name;
    return r;
  } catch (const Bad& e) {
    throw Bad(where + ": " + e.what());
  }
}

}  // namespace

std::vector<Rule> parse_rules(std::string_view json_text) {
  json rules;
  try {
    rules = json::parse(json_text);
  } catch (const json::exception& e) {
    throw ferry::Error(std::string("\"rules\" is not JSON: ") + e.what());
  }
  if (!rules.is_array()) {
    throw ferry::Error(R"("rules" must be an array of rules, e.g. [{"filter": {"path": "MSH-9.1", "equals": "ADT"}}])");
  }
  std::vector<Rule> out;
  std::string errors;
  for (size_t i = 0; i < rules.size(); ++i) {
    try {
      out.push_back(read_entry(i, rules[i]));
    } catch (const Bad& e) {
      errors += (errors.empty() ? "" : "; ") + std::string(e.what());
    }
  }
  if (!errors.empty()) throw ferry::Error(errors);
  return out;
}

}  // namespace ferry::hl7plugin
