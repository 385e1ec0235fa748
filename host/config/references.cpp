#include "config/references.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace ferry::config {
namespace {

// Returns false (and reports) when a reference cannot be resolved.
bool expand(const std::string& in, std::string& out, const std::string& path,
            const std::filesystem::path& base_dir, Diagnostics& diag) {
  size_t pos = 0;
  while (pos < in.size()) {
    const size_t start = in.find('$', pos);
    if (start == std::string::npos) {
      out.append(in, pos);
      break;
    }
    out.append(in, pos, start - pos);
    if (in.compare(start, 3, "$${") == 0) {  // escaped literal
      out += "${";
      pos = start + 3;
      continue;
    }
    if (in.compare(start, 2, "${") != 0) {
      out += '$';
      pos = start + 1;
      continue;
    }
    // Only ${env:..} and ${file:..} are references; any other ${..} is left
    // as written, for components that have templates of their own.
    const bool is_env = in.compare(start + 2, 4, "env:") == 0;
    const bool is_file = in.compare(start + 2, 5, "file:") == 0;
    if (!is_env && !is_file) {
      out += "${";
      pos = start + 2;
      continue;
    }
    const size_t end = in.find('}', start);
    if (end == std::string::npos) {
      diag.add(path, "unterminated reference (missing '}'); write $${ for a literal ${");
      return false;
    }
    const std::string ref = in.substr(start + 2, end - start - 2);
    if (is_env) {
      const std::string name = ref.substr(4);
      const char* value = name.empty() ? nullptr : std::getenv(name.c_str());
      if (value == nullptr) {
        diag.add(path, "environment variable " + name + " is not set (referenced as ${" + ref + "})");
        return false;
      }
      out += value;
    } else {
      std::filesystem::path file = ref.substr(5);
      if (file.is_relative()) file = base_dir / file;
      std::ifstream f(file, std::ios::binary);
      if (!f) {
        diag.add(path, "cannot read file " + file.string() + " (referenced as ${" + ref + "})");
        return false;
      }
      std::ostringstream content;
      content << f.rdbuf();
      std::string text = content.str();
      // Secret files usually end with a newline that is not part of the secret.
      while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
      out += text;
    }
    pos = end + 1;
  }
  return true;
}

}  // namespace

void resolve_references(nlohmann::json& value, const std::string& path,
                        const std::filesystem::path& base_dir, Diagnostics& diag) {
  if (value.is_object()) {
    for (auto& [key, child] : value.items())
      resolve_references(child, child_path(path, key), base_dir, diag);
  } else if (value.is_array()) {
    for (size_t i = 0; i < value.size(); ++i)
      resolve_references(value[i], child_path(path, i), base_dir, diag);
  } else if (value.is_string()) {
    const std::string& in = value.get_ref<const std::string&>();
    if (in.find('$') == std::string::npos) return;
    std::string out;
    if (!expand(in, out, path, base_dir, diag)) return;
    if (out != in) {
      diag.references[path] = in;
      value = out;
    }
  }
}

}  // namespace ferry::config
