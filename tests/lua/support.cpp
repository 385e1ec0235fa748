#include "support.hpp"

#include <algorithm>
#include <stdexcept>

namespace ferry::lua::test {

const std::string kAdt =
    "MSH|^~\\&|LAB|HOSP|EHR|HOSP|20260101120000||ADT^A01|MSG001|P|2.5\r"
    "PID|1||123^^^HOSP^MR~456^^^OTHER^XX||DOE^JOHN^Q||19700101|M\r"
    "PV1|1|I\r"
    "OBX|1|TX|A||first\r"
    "NTE|1||note\r"
    "OBX|2|TX|B||second\r";

std::optional<std::string_view> FakeMessage::meta(std::string_view key) const {
  for (const auto& [k, v] : meta_)
    if (k == key) return std::string_view(v);
  return std::nullopt;
}

void FakeMessage::set_meta(std::string_view key, std::string_view value) {
  if (key.empty()) throw std::invalid_argument("empty key");
  for (auto& [k, v] : meta_)
    if (k == key) {
      v = value;
      return;
    }
  meta_.emplace_back(key, value);
}

void FakeMessage::remove_meta(std::string_view key) {
  std::erase_if(meta_, [&](const auto& kv) { return kv.first == key; });
}

Options inline_script(std::string source) {
  Options o;
  o.source = std::move(source);
  o.chunk_name = "script";
  return o;
}

Script make_script(Options options, std::vector<std::string>* lines) {
  Logger log;
  if (lines != nullptr) {
    log = [lines](LogLevel level, std::string_view text) {
      static const char* const names[] = {"debug", "info", "warn", "error"};
      lines->push_back(std::string(names[static_cast<int>(level)]) + ": " + std::string(text));
    };
  }
  return Script(std::move(options), std::move(log));
}

Run run_once(const std::string& source, const std::string& content, const std::string& type, Options options) {
  Run r{{}, FakeMessage(content, type), {}};
  options.source = source;
  if (options.chunk_name.empty()) options.chunk_name = "script";
  Script s = make_script(std::move(options), &r.log);
  r.outcome = s.run(r.message);
  return r;
}

}  // namespace ferry::lua::test
