#include "dryrun/render.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>

namespace ferry::dryrun {

std::vector<Line> split_lines(std::string_view content) {
  std::vector<Line> lines;
  size_t start = 0;
  while (start < content.size()) {
    const size_t stop = content.find_first_of("\r\n", start);
    if (stop == std::string_view::npos) {
      lines.push_back({content.substr(start), {}});
      break;
    }
    const size_t width = content[stop] == '\r' && stop + 1 < content.size() && content[stop + 1] == '\n' ? 2 : 1;
    lines.push_back({content.substr(start, stop - start), content.substr(stop, width)});
    start = stop + width;
  }
  return lines;
}

std::string quote(std::string_view value) {
  return nlohmann::json(std::string(value)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string visible(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\t') || u == 0x7f) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02X", u);
      out += hex;
    } else {
      out += c;
    }
  }
  return out;
}

std::string line_summary(std::string_view content) {
  const auto lines = split_lines(content);
  if (lines.empty()) return "no lines";
  std::string out = std::to_string(lines.size()) + (lines.size() == 1 ? " line" : " lines");
  std::string_view end;
  bool mixed = false;
  for (const auto& l : lines) {
    if (l.end.empty()) continue;
    if (!end.empty() && l.end != end) mixed = true;
    end = l.end;
  }
  if (mixed) out += " with mixed line endings";
  else if (end == "\r") out += " ending in CR";
  else if (end == "\n") out += " ending in LF";
  else if (end == "\r\n") out += " ending in CRLF";
  if (!end.empty() && lines.back().end.empty()) out += " (none after the last)";
  return out;
}

std::string describe(std::string_view content, std::string_view content_type) {
  std::string out = (content_type.empty() ? std::string("(no content type)") : std::string(content_type)) + ", " +
                    std::to_string(content.size()) + (content.size() == 1 ? " byte" : " bytes");
  if (!content.empty()) out += ", " + line_summary(content);
  return out;
}

void print_block(std::ostream& out, std::string_view content, std::string_view indent) {
  for (const auto& l : split_lines(content)) out << indent << "| " << visible(l.text) << "\n";
}

void print_meta(std::ostream& out, const Meta& meta, std::string_view indent, const Meta* before) {
  auto find = [](const Meta& m, const std::string& key) -> const std::string* {
    for (const auto& [k, v] : m)
      if (k == key) return &v;
    return nullptr;
  };
  if (meta.empty() && (before == nullptr || before->empty())) {
    out << indent << "metadata: (none)\n";
    return;
  }
  out << indent << "metadata:\n";
  for (const auto& [key, value] : meta) {
    out << indent << "  " << visible(key) << " = " << quote(value);
    if (before != nullptr) {
      const std::string* old = find(*before, key);
      if (old == nullptr) out << "  (new)";
      else if (*old != value) out << "  (changed from " << quote(*old) << ")";
    }
    out << "\n";
  }
  if (before != nullptr)
    for (const auto& [key, value] : *before)
      if (find(meta, key) == nullptr) out << indent << "  " << visible(key) << "  (removed)\n";
}

}  // namespace ferry::dryrun
