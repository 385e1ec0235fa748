#include "writer.hpp"

#include "routes.hpp"

namespace channel_plugin {

Writer::Writer(ferry::Instance self, const ferry::Config& config)
    : Destination(self), target_(config.string("channel")), pass_metadata_(config.boolean("metadata")) {}

void Writer::send(ferry::Delivery& delivery) {
  auto link = Routes::instance().find(target_);
  if (!link) throw ferry::RetryLater("channel " + target_ + " is not running (or its source is not channel.reader)");

  const ferry::Message original = delivery.message();
  auto copy = ferry::Message::create(original.content(), original.content_type());
  if (pass_metadata_)
    for (const auto& [k, v] : original.meta_all()) copy.set_meta(k, v);
  copy.set_meta("source_channel", self().channel());
  copy.set_meta("source_message_id", std::to_string(original.id()));

  auto f = std::make_shared<InFlight>();
  f->delivery.emplace(std::move(delivery));
  {
    std::lock_guard lock(pending_->mutex);
    pending_->sends.insert(f);
  }
  ferry_status_t accepted = FERRY_STOPPING;
  {
    std::lock_guard lock(link->mutex);
    if (link->reader != nullptr)
      accepted = link->reader->emit(copy, [pending = pending_, f](ferry::EmitResult r) {
        // Stored in the target (even if its transformers then filtered or
        // failed it) means delivered; anything else is tried again.
        const bool stored = r.status == FERRY_OK || r.status == FERRY_FILTERED || r.status == FERRY_ERROR;
        finish(pending, f, stored ? FERRY_OK : FERRY_RETRY, r.error);
      });
  }
  if (accepted != FERRY_OK)
    finish(pending_, f, FERRY_RETRY, accepted == FERRY_RETRY ? "channel " + target_ + " is busy" : "channel " + target_ + " is stopping");
}

void Writer::finish(const std::shared_ptr<Pending>& pending, const std::shared_ptr<InFlight>& f,
                    ferry_status_t status, std::string_view error) {
  {
    std::lock_guard lock(f->mutex);
    if (!f->delivery) return;  // stop() already completed it
    f->delivery->complete(status, {}, error);
    f->delivery.reset();
  }
  std::lock_guard lock(pending->mutex);
  pending->sends.erase(f);
}

void Writer::stop() {
  std::set<std::shared_ptr<InFlight>> sends;
  {
    std::lock_guard lock(pending_->mutex);
    sends.swap(pending_->sends);
  }
  for (const auto& f : sends) {
    std::lock_guard lock(f->mutex);
    if (f->delivery) {
      f->delivery->complete(FERRY_RETRY, {}, "stopping before channel " + target_ + " answered");
      f->delivery.reset();
    }
  }
}

}  // namespace channel_plugin
