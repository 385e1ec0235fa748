#include "transform.hpp"

#include <filesystem>

#include "host_message.hpp"

namespace ferry::lua {
namespace {

Options options_from(const ferry::Config& c) {
  Options o;
  const std::string script = c.string("script"), file = c.string("file");
  if (script.empty() == file.empty())
    throw ferry::Error("set exactly one of script (the Lua text) and file (the path of a Lua file)");
  if (!file.empty())
    read_script_file(o, file);
  else {
    o.source = script;
    o.chunk_name = "script";
  }
  for (const std::string& a : c.strings("allow")) o.allow.insert(a);
  o.module_dirs = c.strings("module_dirs");
  if (o.module_dirs.empty() && !file.empty()) {
    const std::filesystem::path dir = std::filesystem::path(file).parent_path();
    o.module_dirs.push_back(dir.empty() ? "." : dir.string());
  }
  o.params = nlohmann::json::parse(c.raw_json("params").value_or("{}"));
  o.max_instructions = c.integer("max_instructions", o.max_instructions);
  o.timeout_ms = c.integer("timeout_ms", o.timeout_ms);
  o.max_memory_mb = c.integer("max_memory_mb", o.max_memory_mb);
  return o;
}

Logger logger_for(const ferry::Instance& self) {
  return [self](LogLevel level, std::string_view text) {
    switch (level) {
      case LogLevel::debug: self.debug(text); break;
      case LogLevel::info: self.info(text); break;
      case LogLevel::warn: self.warn(text); break;
      case LogLevel::error: self.error(text); break;
    }
  };
}

}  // namespace

Transform::Transform(ferry::Instance self, const ferry::Config& c)
    : Transformer(self), script_(options_from(c), logger_for(this->self())) {}

void Transform::transform(ferry::Message& m) {
  HostMessage message(m);
  Outcome outcome = script_.run(message);
  switch (outcome.kind) {
    case Outcome::Kind::ok: return;
    case Outcome::Kind::filtered: throw ferry::Filtered(outcome.text);
    case Outcome::Kind::error: throw ferry::Error(outcome.text);
  }
}

}  // namespace ferry::lua
