// The message the host lends to transform(), as the script engine sees it.
#pragma once

#include <ferry/plugin.hpp>

#include "message_access.hpp"

namespace ferry::lua {

class HostMessage final : public MessageAccess {
 public:
  explicit HostMessage(ferry::Message& m) : m_(m) {}

  std::string_view content() const override { return m_.content(); }
  std::string_view content_type() const override { return m_.content_type(); }
  void set_content(std::string_view content) override { m_.set_content(content); }
  void set_content_type(std::string_view type) override { m_.set_content_type(type); }

  std::optional<std::string_view> meta(std::string_view key) const override { return m_.meta(key); }
  void set_meta(std::string_view key, std::string_view value) override { m_.set_meta(key, value); }
  void remove_meta(std::string_view key) override { m_.remove_meta(key); }
  size_t meta_count() const override;
  std::pair<std::string_view, std::string_view> meta_at(size_t index) const override;

  int64_t id() const override { return m_.id(); }

 private:
  ferry::Message& m_;
};

}  // namespace ferry::lua
