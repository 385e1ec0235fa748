// Message::to_json / from_json, the form docs/hl7-json.md describes.
#include <stdexcept>

#include "charset.hpp"
#include "delimiters.hpp"
#include "escape.hpp"
#include "message_impl.hpp"
#include "quote.hpp"
#include "tokenize.hpp"

namespace ferry::hl7 {

using nlohmann::json;

namespace {

// One level of the field tree: a single string child collapses to the
// string, so simple values stay simple ("x", not [[["x"]]]).
json collapse(std::vector<json>&& children) {
  if (children.size() == 1 && children[0].is_string()) return std::move(children[0]);
  return json(std::move(children));
}

json field_to_json(std::string_view raw, const Delimiters& d, detail::Charset cs) {
  std::vector<json> reps;
  for (const auto rep : detail::split(raw, d.repetition)) {
    std::vector<json> comps;
    for (const auto comp : detail::split(rep, d.component)) {
      std::vector<json> subs;
      for (const auto sub : detail::split(comp, d.subcomponent)) subs.emplace_back(detail::decode(sub, d, cs));
      comps.push_back(collapse(std::move(subs)));
    }
    reps.push_back(collapse(std::move(comps)));
  }
  return collapse(std::move(reps));
}

[[noreturn]] void bad(const std::string& where, const std::string& why) {
  throw std::invalid_argument("HL7 JSON " + (where.empty() ? std::string("/") : where) + ": " + why);
}

// Builds the encoded text from JSON, keeping an eye on the size so that a
// huge document fails early instead of building a huge string.
class Builder {
 public:
  Builder(const Delimiters& d, const Limits& limits) : d_(d), limits_(limits) {}

  void field(const json& value, const std::string& where, std::string& out) const {
    level(value, 0, where, out);
  }
  void check_size(size_t size) const {
    if (size > limits_.max_message_bytes) {
      bad("", "the message would be over the limit of " + std::to_string(limits_.max_message_bytes) +
                  " bytes (max_message_bytes)");
    }
  }

 private:
  // depth 0: field (repetitions), 1: repetition (components),
  // 2: component (subcomponents), 3: subcomponent (a string only).
  void level(const json& value, int depth, const std::string& where, std::string& out) const {
    if (value.is_string()) {
      out += detail::encode(value.get_ref<const std::string&>(), d_);
      return;
    }
    if (!value.is_array() || depth == 3) {
      bad(where, depth == 3 ? "a subcomponent must be a string" : "expected a string or an array");
    }
    static const char* const names[] = {"repetitions", "components", "subcomponents"};
    const size_t limit = depth == 0 ? limits_.max_repetitions : limits_.max_components;
    if (value.size() > limit) {
      bad(where, "more than " + std::to_string(limit) + " " + names[depth]);
    }
    const char sep = depth == 0 ? d_.repetition : depth == 1 ? d_.component : d_.subcomponent;
    for (size_t i = 0; i < value.size(); ++i) {
      if (i > 0) out += sep;
      level(value[i], depth + 1, where + "/" + std::to_string(i), out);
    }
  }

  Delimiters d_;
  Limits limits_;
};

char delimiter(const json& j, const char* key, char fallback, bool optional_empty) {
  if (!j.contains(key)) return fallback;
  const json& v = j[key];
  if (!v.is_string()) bad(std::string("/delimiters/") + key, "expected a one-character string");
  const auto& s = v.get_ref<const std::string&>();
  if (s.empty() && optional_empty) return 0;
  if (s.size() != 1) bad(std::string("/delimiters/") + key, "expected a one-character string");
  return s[0];
}

Delimiters read_delimiters(const json& j, const json& msh_fields) {
  Delimiters d;
  const bool has_msh1 = msh_fields.is_array() && !msh_fields.empty();
  const bool has_msh2 = msh_fields.is_array() && msh_fields.size() >= 2;
  if (j.contains("delimiters")) {
    const json& dj = j["delimiters"];
    if (!dj.is_object()) bad("/delimiters", "expected an object");
    d.field = delimiter(dj, "field", d.field, false);
    d.component = delimiter(dj, "component", d.component, false);
    d.repetition = delimiter(dj, "repetition", d.repetition, false);
    d.escape = delimiter(dj, "escape", d.escape, false);
    d.subcomponent = delimiter(dj, "subcomponent", d.subcomponent, false);
    d.truncation = delimiter(dj, "truncation", 0, true);
  } else if (has_msh2 && msh_fields[0].is_string() && msh_fields[1].is_string()) {
    const auto& f = msh_fields[0].get_ref<const std::string&>();
    const auto& e = msh_fields[1].get_ref<const std::string&>();
    if (f.size() != 1 || (e.size() != 4 && e.size() != 5)) {
      bad("/segments/0/fields", "MSH-1 must be one character and MSH-2 four or five");
    }
    d = Delimiters{f[0], e[0], e[1], e[2], e[3], e.size() == 5 ? e[4] : '\0'};
  }
  if (auto problem = detail::delimiter_problem(d)) bad("/delimiters", *problem);
  if (has_msh1 && msh_fields[0] != std::string(1, d.field)) {
    bad("/segments/0/fields/0", "MSH-1 must be the field separator " + detail::quote(std::string(1, d.field)));
  }
  if (has_msh2 && msh_fields[1] != detail::encoding_characters(d)) {
    bad("/segments/0/fields/1",
        "MSH-2 must be the encoding characters " + detail::quote(detail::encoding_characters(d)));
  }
  return d;
}

}  // namespace

json Message::to_json() const {
  if (!impl_) throw std::logic_error("use of a moved-from ferry::hl7::Message");
  const Impl& im = *impl_;
  const Delimiters& d = im.delimiters;
  json delimiters = {{"field", std::string(1, d.field)},
                     {"component", std::string(1, d.component)},
                     {"repetition", std::string(1, d.repetition)},
                     {"escape", std::string(1, d.escape)},
                     {"subcomponent", std::string(1, d.subcomponent)}};
  if (d.truncation != 0) delimiters["truncation"] = std::string(1, d.truncation);
  json segments = json::array();
  for (size_t i = 0; i < im.segments.size(); ++i) {
    const std::string& text = im.segments[i].text;
    const bool header = i == 0;
    const detail::Fields fields(text, header, d.field);
    json values = json::array();
    for (size_t n = 1; n <= fields.count(); ++n) {
      if (header && n <= 2) {
        values.push_back(std::string(fields.get(n)));
      } else {
        values.push_back(field_to_json(fields.get(n), d, im.charset));
      }
    }
    segments.push_back({{"name", text.substr(0, 3)}, {"fields", std::move(values)}});
  }
  return {{"delimiters", std::move(delimiters)},
          {"segment_separator", im.style},
          {"trailing_separator", im.trailing},
          {"segments", std::move(segments)}};
}

Message Message::from_json(const json& j) {
  if (!j.is_object()) bad("", "expected an object");
  if (!j.contains("segments") || !j["segments"].is_array() || j["segments"].empty()) {
    bad("/segments", "expected a non-empty array of segments");
  }
  const json& segments = j["segments"];
  const json& first = segments[0];
  if (!first.is_object()) bad("/segments/0", "expected an object with \"name\" and \"fields\"");
  static const json kNoFields = json::array();
  const Delimiters d = read_delimiters(j, first.contains("fields") ? first["fields"] : kNoFields);

  std::string style = "\r";
  if (j.contains("segment_separator")) {
    const json& s = j["segment_separator"];
    if (s != "\r" && s != "\n" && s != "\r\n") bad("/segment_separator", "expected \"\\r\", \"\\n\" or \"\\r\\n\"");
    style = s.get<std::string>();
  }
  bool trailing = true;
  if (j.contains("trailing_separator")) {
    if (!j["trailing_separator"].is_boolean()) bad("/trailing_separator", "expected true or false");
    trailing = j["trailing_separator"].get<bool>();
  }

  const Limits limits;
  if (segments.size() > limits.max_segments) {
    bad("/segments", "more than " + std::to_string(limits.max_segments) + " segments (max_segments)");
  }
  const Builder builder(d, limits);
  std::string text;
  std::string msh;
  for (size_t i = 0; i < segments.size(); ++i) {
    const std::string where = "/segments/" + std::to_string(i);
    const json& seg = segments[i];
    if (!seg.is_object()) bad(where, "expected an object with \"name\" and \"fields\"");
    if (!seg.contains("name") || !seg["name"].is_string() ||
        !detail::valid_segment_name(seg["name"].get_ref<const std::string&>())) {
      bad(where + "/name", "expected a segment name (3 characters A-Z or 0-9, the first a letter)");
    }
    const auto& name = seg["name"].get_ref<const std::string&>();
    if ((i == 0) != (name == "MSH")) bad(where + "/name", "the first segment, and only the first, must be MSH");
    const json& fields = seg.contains("fields") ? seg["fields"] : kNoFields;
    if (!fields.is_array()) bad(where + "/fields", "expected an array");
    if (fields.size() > limits.max_fields_per_segment) {
      bad(where + "/fields", "more than " + std::to_string(limits.max_fields_per_segment) + " fields");
    }
    if (i > 0) text += style;
    const size_t seg_start = text.size();
    text += name;
    if (i == 0) {
      text += d.field;
      text += detail::encoding_characters(d);
    }
    for (size_t n = i == 0 ? 2 : 0; n < fields.size(); ++n) {
      text += d.field;
      builder.field(fields[n], where + "/fields/" + std::to_string(n), text);
      builder.check_size(text.size());
    }
    if (i == 0) msh = text.substr(seg_start);
  }
  if (trailing) text += style;

  std::string error;
  const auto cs = detail::charset_of_msh(msh, d, error);
  if (!cs) bad("/segments/0/fields/17", error);
  const auto bytes = detail::from_utf8(text, *cs);
  if (!bytes) {
    bad("/segments", *cs == detail::Charset::latin1
                         ? "a value has characters that ISO-8859-1 (MSH-18) cannot represent"
                         : "a value is not valid UTF-8");
  }
  try {
    return parse(*bytes, limits);
  } catch (const ParseError& e) {
    bad("", std::string("the result is not a valid message: ") + e.what());
  }
}

}  // namespace ferry::hl7
