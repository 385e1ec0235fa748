#include <ferry/template/template.hpp>

#include <ferry/hl7/message.hpp>

#include <cctype>

namespace ferry::tmpl {

namespace {

// HL7 paths start with a segment name and then '-' or a segment repetition:
// "PID-3.1", "OBX[2]-5". Anything else that is not a known word is a typo.
bool looks_like_hl7_path(std::string_view name) {
  if (name.size() < 5) return false;
  if (!std::isupper(static_cast<unsigned char>(name[0]))) return false;
  for (size_t i = 1; i < 3; ++i) {
    const auto c = static_cast<unsigned char>(name[i]);
    if (!std::isupper(c) && !std::isdigit(c)) return false;
  }
  return name[3] == '-' || name[3] == '[';
}

Template::Part parse_placeholder(std::string_view body, std::string_view what, std::string_view source) {
  auto fail = [&](const std::string& why) -> Template::Part {
    throw ferry::Error(std::string(what) + " \"" + std::string(source) + "\": " + why);
  };
  Template::Part part{Template::Kind::literal, {}, std::nullopt};
  std::string_view name = body;
  if (const size_t dash = body.find(":-"); dash != std::string_view::npos) {
    name = body.substr(0, dash);
    part.fallback = std::string(body.substr(dash + 2));
  }
  using K = Template::Kind;
  static constexpr std::pair<std::string_view, K> words[] = {
      {"message_id", K::message_id}, {"channel", K::channel},     {"content", K::content},
      {"content_type", K::content_type}, {"timestamp", K::timestamp}, {"iso_time", K::iso_time},
      {"date", K::date},             {"uuid", K::uuid}};
  for (const auto& [word, kind] : words)
    if (name == word) {
      part.kind = kind;
      return part;
    }
  if (name.substr(0, 5) == "meta:" && name.size() > 5) {
    part.kind = K::meta;
    part.text = std::string(name.substr(5));
    return part;
  }
  if (!name.empty() && name[0] == '/') {
    part.kind = K::json;
    part.text = std::string(name);
    try {
      (void)nlohmann::json::json_pointer(part.text);
    } catch (const std::exception& e) {
      return fail("${" + std::string(name) + "} is not a valid JSON pointer: " + e.what());
    }
    return part;
  }
  if (looks_like_hl7_path(name)) {
    part.kind = K::hl7;
    part.text = std::string(name);
    try {
      (void)ferry::hl7::Path::parse(name);
    } catch (const std::exception& e) {
      return fail("${" + std::string(name) + "} is not a valid HL7 path: " + e.what());
    }
    return part;
  }
  return fail("unknown placeholder ${" + std::string(name) +
              "} (known: ${message_id}, ${channel}, ${content}, ${content_type}, ${timestamp}, ${iso_time}, "
              "${date}, ${uuid}, ${meta:KEY}, an HL7 path like ${PID-3.1}, a JSON pointer like ${/id})");
}

}  // namespace

Template::Template(std::string_view text, std::string_view what) : source_(text) {
  std::string literal;
  size_t pos = 0;
  while (pos < text.size()) {
    if (text.compare(pos, 3, "$${") == 0) {  // a literal "${"
      literal += "${";
      pos += 3;
      continue;
    }
    if (text.compare(pos, 2, "${") != 0) {
      literal += text[pos++];
      continue;
    }
    const size_t end = text.find('}', pos + 2);
    if (end == std::string_view::npos)
      throw ferry::Error(std::string(what) + " \"" + source_ + "\" has an unterminated \"${\"; write $${ for a literal ${");
    if (!literal.empty()) parts_.push_back({Kind::literal, std::move(literal), std::nullopt});
    literal.clear();
    parts_.push_back(parse_placeholder(text.substr(pos + 2, end - pos - 2), what, source_));
    pos = end + 1;
  }
  if (!literal.empty()) parts_.push_back({Kind::literal, std::move(literal), std::nullopt});
}

bool Template::is_literal() const {
  for (const Part& p : parts_)
    if (p.kind != Kind::literal) return false;
  return true;
}

std::string Template::expand(const Context& c, Escape how) const {
  std::string out;
  for (const Part& p : parts_) {
    if (p.kind == Kind::literal) {
      out += p.text;
      continue;
    }
    std::optional<std::string> value;
    switch (p.kind) {
      case Kind::literal: break;
      case Kind::message_id: value = std::to_string(c.message().id()); break;
      case Kind::channel: value = c.channel(); break;
      case Kind::content: value = std::string(c.message().content()); break;
      case Kind::content_type: value = std::string(c.message().content_type()); break;
      case Kind::timestamp: value = compact_timestamp(c.now()); break;
      case Kind::iso_time: value = iso8601(c.now()); break;
      case Kind::date: value = compact_date(c.now()); break;
      case Kind::uuid: value = uuid_v4(); break;
      case Kind::meta:
        if (auto v = c.message().meta(p.text)) value = std::string(*v);
        break;
      case Kind::hl7: value = c.hl7(p.text); break;
      case Kind::json: value = c.json(p.text); break;
    }
    if ((!value || value->empty()) && p.fallback) value = p.fallback;
    if (value) out += escape(*value, how);
  }
  return out;
}

}  // namespace ferry::tmpl
