#include "cli/test_file.hpp"

#include <ferry/hl7/message.hpp>

#include <algorithm>
#include <initializer_list>
#include <set>

#include "dryrun/content_type.hpp"
#include "dryrun/input.hpp"

namespace ferry::cli {

namespace {

// Ordered, so cases and checks are reported in the order the file gives them.
using json = nlohmann::ordered_json;
using config::child_path;

std::string type_name(const json& v) { return v.is_null() ? "null" : v.type_name(); }

// Unknown keys are errors: a typo such as "expects" must not quietly test nothing.
bool check_object(const json& v, const std::string& path, std::initializer_list<std::string_view> keys,
                  config::Diagnostics& diag) {
  if (!v.is_object()) {
    diag.add(path, "expected an object, got " + type_name(v));
    return false;
  }
  for (const auto& [key, unused] : v.items()) {
    if (std::find(keys.begin(), keys.end(), key) != keys.end()) continue;
    std::string known;
    for (auto k : keys) known += (known.empty() ? "" : ", ") + std::string(k);
    diag.add(child_path(path, key), "unknown key (expected one of: " + known + ")");
  }
  return true;
}

std::optional<std::string> get_string(const json& obj, const char* key, const std::string& path, bool required,
                                      bool allow_empty, config::Diagnostics& diag) {
  const auto it = obj.find(key);
  if (it == obj.end()) {
    if (required) diag.add(child_path(path, key), "missing (a string is required)");
    return std::nullopt;
  }
  if (!it->is_string()) {
    diag.add(child_path(path, key), "expected a string, got " + type_name(*it));
    return std::nullopt;
  }
  if (!allow_empty && it->get_ref<const std::string&>().empty()) {
    diag.add(child_path(path, key), "must not be empty");
    return std::nullopt;
  }
  return it->get<std::string>();
}

// {"key": "text", ...}, or with allow_null also {"key": null} for "absent".
std::vector<std::pair<std::string, ExpectedText>> text_map(const json& v, const std::string& path, bool allow_null,
                                                           config::Diagnostics& diag) {
  std::vector<std::pair<std::string, ExpectedText>> out;
  if (!v.is_object()) {
    diag.add(path, "expected an object, got " + type_name(v));
    return out;
  }
  for (const auto& [key, value] : v.items()) {
    if (value.is_string()) out.emplace_back(key, value.get<std::string>());
    else if (value.is_null() && allow_null) out.emplace_back(key, std::nullopt);
    else
      diag.add(child_path(path, key),
               "expected a string" + std::string(allow_null ? " (or null for \"absent\")" : "") + ", got " + type_name(value));
  }
  return out;
}

std::filesystem::path beside(const std::filesystem::path& test_file, const std::string& relative) {
  const std::filesystem::path p(relative);
  return p.is_absolute() ? p : (test_file.parent_path() / p).lexically_normal();
}

void read_input(const json& v, const std::string& path, const std::filesystem::path& file, TestCase& c,
                config::Diagnostics& diag) {
  if (!check_object(v, path, {"content", "file", "content_type", "metadata"}, diag)) return;
  const auto content = get_string(v, "content", path, false, true, diag);
  const auto from = get_string(v, "file", path, false, false, diag);
  if (v.contains("content") == v.contains("file")) {
    diag.add(path, "give exactly one of \"content\" and \"file\"");
  } else if (content) {
    c.input.content = *content;
  } else if (from) {
    std::string error;
    if (auto bytes = dryrun::read_bytes(beside(file, *from), error)) c.input.content = std::move(*bytes);
    else diag.add(child_path(path, "file"), error);
  }
  if (auto type = get_string(v, "content_type", path, false, false, diag)) {
    c.input.content_type = *type;
  } else {
    c.input.content_type = dryrun::guess_content_type(c.input.content);
    c.content_type_guessed = true;
  }
  if (auto it = v.find("metadata"); it != v.end()) {
    for (auto& [key, value] : text_map(*it, child_path(path, "metadata"), false, diag))
      c.input.meta.emplace_back(key, *value);
  }
}

DestinationExpect read_destination(const std::string& id, const json& v, const std::string& path,
                                   const std::filesystem::path& file, config::Diagnostics& diag) {
  DestinationExpect e;
  e.id = id;
  e.path = path;
  if (!check_object(v, path,
                    {"delivered", "equals_file", "content_contains", "content_type", "hl7", "json", "metadata",
                     "filtered", "error"},
                    diag))
    return e;
  if (auto eq = get_string(v, "equals_file", path, false, false, diag)) {
    e.equals_file = *eq;
    std::string error;
    if (auto bytes = dryrun::read_bytes(beside(file, *eq), error)) e.equals_content = std::move(*bytes);
    else diag.add(child_path(path, "equals_file"), error);
  }
  if (auto it = v.find("content_contains"); it != v.end()) {
    const std::string p = child_path(path, "content_contains");
    if (it->is_string()) e.content_contains.push_back(it->get<std::string>());
    else if (it->is_array() && !it->empty() && std::all_of(it->begin(), it->end(), [](const json& s) { return s.is_string(); }))
      for (const auto& s : *it) e.content_contains.push_back(s.get<std::string>());
    else diag.add(p, "expected a string or a non-empty array of strings, got " + type_name(*it));
  }
  e.content_type = get_string(v, "content_type", path, false, false, diag);
  if (auto it = v.find("hl7"); it != v.end()) {
    e.hl7 = text_map(*it, child_path(path, "hl7"), true, diag);
    for (const auto& [p, unused] : e.hl7) {
      try {
        hl7::Path::parse(p);
      } catch (const std::exception& ex) {
        diag.add(child_path(child_path(path, "hl7"), p), ex.what());
      }
    }
  }
  if (auto it = v.find("json"); it != v.end()) {
    if (!it->is_object()) diag.add(child_path(path, "json"), "expected an object, got " + type_name(*it));
    else
      for (const auto& [pointer, value] : it->items()) {
        try {
          (void)json::json_pointer(pointer);
          e.json.emplace_back(pointer, nlohmann::json::parse(value.dump()));
        } catch (const std::exception& ex) {
          diag.add(child_path(child_path(path, "json"), pointer),
                   "not a JSON pointer (RFC 6901, e.g. \"/segments/0/name\"): " + std::string(ex.what()));
        }
      }
  }
  if (auto it = v.find("metadata"); it != v.end()) e.metadata = text_map(*it, child_path(path, "metadata"), true, diag);
  e.filtered = get_string(v, "filtered", path, false, true, diag);
  e.error = get_string(v, "error", path, false, true, diag);

  const bool content_checks = e.equals_file || !e.content_contains.empty() || e.content_type || !e.hl7.empty() ||
                              !e.json.empty() || !e.metadata.empty();
  const bool stopped = e.filtered || e.error;
  if (e.filtered && e.error) diag.add(path, "give \"filtered\" or \"error\", not both");
  if (stopped && content_checks)
    diag.add(path, "a message that is filtered or fails is not delivered: its content cannot be checked");
  e.delivered = !stopped;
  if (auto it = v.find("delivered"); it != v.end()) {
    if (!it->is_boolean()) {
      diag.add(child_path(path, "delivered"), "expected true or false, got " + type_name(*it));
    } else {
      e.delivered = it->get<bool>();
      if (e.delivered && stopped)
        diag.add(child_path(path, "delivered"), "true contradicts \"" + std::string(e.filtered ? "filtered" : "error") + "\"");
      if (!e.delivered && content_checks)
        diag.add(child_path(path, "delivered"), "false, but content checks are given for the delivered message");
    }
  }
  return e;
}

void read_case(const json& v, const std::string& path, const std::filesystem::path& file, TestCase& c,
               config::Diagnostics& diag) {
  c.path = path;
  if (!check_object(v, path, {"name", "description", "input", "expect", "expect_channel_filtered", "expect_channel_error"},
                    diag))
    return;
  c.name = get_string(v, "name", path, true, false, diag).value_or("");
  if (auto it = v.find("input"); it != v.end()) read_input(*it, child_path(path, "input"), file, c, diag);
  else diag.add(child_path(path, "input"), "missing (an object with \"content\" or \"file\" is required)");
  c.channel_filtered = get_string(v, "expect_channel_filtered", path, false, true, diag);
  c.channel_error = get_string(v, "expect_channel_error", path, false, true, diag);
  if (c.channel_filtered && c.channel_error)
    diag.add(path, "give \"expect_channel_filtered\" or \"expect_channel_error\", not both");
  if (auto it = v.find("expect"); it != v.end()) {
    const std::string p = child_path(path, "expect");
    if (!it->is_object()) {
      diag.add(p, "expected an object of destination ids, got " + type_name(*it));
      return;
    }
    for (const auto& [id, value] : it->items()) {
      c.expect.push_back(read_destination(id, value, child_path(p, id), file, diag));
      if ((c.channel_filtered || c.channel_error) && c.expect.back().delivered)
        diag.add(child_path(p, id), "expects a delivery, but the case expects the channel transformers to " +
                                        std::string(c.channel_filtered ? "filter" : "fail") + " the message");
    }
  }
}

}  // namespace

TestFile read_test_file(const std::filesystem::path& file, config::Diagnostics& diag) {
  TestFile t;
  t.file = file;
  std::string error;
  const auto bytes = dryrun::read_bytes(file, error);
  if (!bytes) {
    diag.add("", error);
    return t;
  }
  json doc;
  try {
    doc = json::parse(*bytes);
  } catch (const json::parse_error& e) {
    diag.add("", std::string("not valid JSON: ") + e.what());
    return t;
  }
  if (!check_object(doc, "", {"config", "channel", "description", "cases"}, diag)) return t;
  if (auto cfg = get_string(doc, "config", "", true, false, diag)) t.config = beside(file, *cfg);
  t.channel = get_string(doc, "channel", "", true, false, diag).value_or("");
  const auto it = doc.find("cases");
  if (it == doc.end() || !it->is_array() || it->empty()) {
    diag.add("/cases", it == doc.end() ? "missing (a non-empty array of cases is required)"
                                       : "expected a non-empty array of cases, got " +
                                             (it->is_array() ? std::string("an empty array") : type_name(*it)));
    return t;
  }
  std::set<std::string> names;
  for (size_t i = 0; i < it->size(); ++i) {
    const std::string path = child_path("/cases", i);
    read_case((*it)[i], path, file, t.cases.emplace_back(), diag);
    const std::string& name = t.cases.back().name;
    if (!name.empty() && !names.insert(name).second)
      diag.add(child_path(path, "name"), "\"" + name + "\" names another case too");
  }
  return t;
}

}  // namespace ferry::cli
