#include "name_template.hpp"

namespace ferry::file {

NameTemplate::NameTemplate(std::string_view text) : template_(text, "filename") {
  for (const auto& part : template_.parts())
    if (part.kind == ferry::tmpl::Template::Kind::literal && part.text.find('/') != std::string::npos)
      throw ferry::Error("filename \"" + template_.text() + "\" contains '/'; put folders in `directory`");
}

std::string NameTemplate::expand(const ferry::Message& m, std::chrono::system_clock::time_point now) const {
  const ferry::tmpl::Context context(m, {}, now);
  std::string out = sanitize_file_name(template_.expand(context));
  if (out.empty() || out == "." || out == "..")
    throw ferry::Error("filename \"" + template_.text() + "\" gave the unusable file name \"" + out +
                       "\" for message " + std::to_string(m.id()));
  return out;
}

std::string sanitize_file_name(std::string name) {
  for (char& c : name)
    if (c == '/' || c == '\0') c = '_';
  return name;
}

}  // namespace ferry::file
