#include "message_source.hpp"

#include <nlohmann/json.hpp>

namespace ferry::cron {

namespace {

std::vector<std::pair<std::string, ferry::tmpl::Template>> metadata_templates(const ferry::Config& c) {
  std::vector<std::pair<std::string, ferry::tmpl::Template>> out;
  const auto text = c.raw_json("metadata");
  if (!text) return out;
  const auto json = nlohmann::json::parse(*text, nullptr, false);
  if (!json.is_object()) throw ferry::Error("metadata: expected an object of strings, got " + *text);
  for (const auto& [key, value] : json.items()) {
    if (key.empty()) throw ferry::Error("metadata: a key is empty");
    if (!value.is_string())
      throw ferry::Error("metadata/" + key + ": expected a string, got " + value.dump());
    out.emplace_back(key, ferry::tmpl::Template(value.get<std::string>(), "metadata/" + key));
  }
  return out;
}

}  // namespace

MessageSource::MessageSource(ferry::Instance self, const ferry::Config& c)
    : Source(self),
      content_(c.string("content"), "content"),
      content_type_(c.string("content_type")),
      metadata_(metadata_templates(c)) {}

void MessageSource::poll() {
  auto message = ferry::Message::create("", content_type_);
  {
    // One context: every placeholder of this run sees the same time.
    const ferry::tmpl::Context context(message, std::string(self().channel()));
    const std::string content = content_.expand(context);
    for (const auto& [key, value] : metadata_) message.set_meta(key, value.expand(context));
    message.set_content(content);
  }
  const ferry_status_t s = emit(message, [this](ferry::EmitResult r) {
    if (r.status == FERRY_OK) {
      self().count("emitted");
    } else if (r.status != FERRY_FILTERED) {
      self().count("rejected");
      self().warn("the channel did not take the generated message: " + std::string(r.error));
    }
  });
  if (s == FERRY_RETRY) {
    self().count("skipped_busy");
    self().warn("the channel is busy (engine.max_in_flight): this run is skipped");
  } else if (s != FERRY_OK && s != FERRY_STOPPING) {
    throw ferry::Error("emit failed with status " + std::to_string(s));
  }
}

}  // namespace ferry::cron
