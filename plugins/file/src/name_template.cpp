#include "name_template.hpp"

#include "random_hex.hpp"
#include "time_format.hpp"

namespace ferry::file {

NameTemplate::NameTemplate(std::string_view text) : source_(text) {
  size_t pos = 0;
  auto literal = [&](std::string_view s) {
    if (s.find('/') != std::string_view::npos)
      throw ferry::Error("filename \"" + source_ + "\" contains '/'; put folders in `directory`");
    if (!s.empty()) parts_.push_back({Kind::literal, std::string(s)});
  };
  while (pos < text.size()) {
    const size_t start = text.find("${", pos);
    if (start == std::string_view::npos) {
      literal(text.substr(pos));
      break;
    }
    literal(text.substr(pos, start - pos));
    const size_t end = text.find('}', start + 2);
    if (end == std::string_view::npos)
      throw ferry::Error("filename \"" + source_ + "\" has an unterminated \"${\"");
    const std::string_view name = text.substr(start + 2, end - start - 2);
    if (name == "message_id") parts_.push_back({Kind::message_id, {}});
    else if (name == "timestamp") parts_.push_back({Kind::timestamp, {}});
    else if (name == "date") parts_.push_back({Kind::date, {}});
    else if (name == "uuid") parts_.push_back({Kind::uuid, {}});
    else if (name.substr(0, 5) == "meta:" && name.size() > 5)
      parts_.push_back({Kind::meta, std::string(name.substr(5))});
    else
      throw ferry::Error("filename \"" + source_ + "\" has an unknown placeholder ${" + std::string(name) +
                         "} (known: ${message_id}, ${timestamp}, ${date}, ${meta:KEY}, ${uuid})");
    pos = end + 1;
  }
}

std::string NameTemplate::expand(const ferry::Message& m, std::chrono::system_clock::time_point now) const {
  std::string out;
  for (const Part& p : parts_) {
    switch (p.kind) {
      case Kind::literal: out += p.text; break;
      case Kind::message_id: out += std::to_string(m.id()); break;
      case Kind::timestamp: out += compact_timestamp(now); break;
      case Kind::date: out += compact_date(now); break;
      case Kind::uuid: out += random_hex(16); break;
      case Kind::meta:
        if (auto v = m.meta(p.text)) out += *v;
        break;
    }
  }
  out = sanitize_file_name(std::move(out));
  if (out.empty() || out == "." || out == "..")
    throw ferry::Error("filename \"" + source_ + "\" gave the unusable file name \"" + out + "\" for message " +
                       std::to_string(m.id()));
  return out;
}

std::string sanitize_file_name(std::string name) {
  for (char& c : name)
    if (c == '/' || c == '\0') c = '_';
  return name;
}

}  // namespace ferry::file
