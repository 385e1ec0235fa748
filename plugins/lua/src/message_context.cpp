#include "message_context.hpp"

#include <stdexcept>

namespace ferry::lua {

std::string_view MessageContext::content() {
  flush_hl7();
  return content_ ? std::string_view(*content_) : host_.content();
}

void MessageContext::set_content(std::string_view content) {
  content_ = std::string(content);
  hl7_.reset();
  hl7_dirty_ = false;
  ++version_;
}

hl7::Message& MessageContext::hl7() {
  if (!hl7_) {
    try {
      hl7_.emplace(hl7::Message::parse(content()));
    } catch (const hl7::ParseError& e) {
      throw std::runtime_error(std::string("the content is not an HL7 v2 message: ") + e.what());
    }
  }
  return *hl7_;
}

void MessageContext::hl7_changed() {
  hl7_dirty_ = true;
  ++version_;
}

void MessageContext::flush_hl7() {
  if (!hl7_dirty_) return;
  content_ = hl7_->serialize();
  hl7_dirty_ = false;
  if (!type_) type_ = std::string(kHl7ContentType);
}

void MessageContext::commit() {
  flush_hl7();
  if (content_) host_.set_content(*content_);
  if (type_ && *type_ != host_.content_type()) host_.set_content_type(*type_);
}

}  // namespace ferry::lua
