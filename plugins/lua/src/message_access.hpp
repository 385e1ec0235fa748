// The message a script works on, as the host lends it. The plugin adapts
// ferry::Message to it; tests and the benchmark use an in-memory message.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>

namespace ferry::lua {

class MessageAccess {
 public:
  virtual ~MessageAccess() = default;
  // Views stay valid until the message is changed.
  virtual std::string_view content() const = 0;
  virtual std::string_view content_type() const = 0;
  virtual void set_content(std::string_view content) = 0;
  virtual void set_content_type(std::string_view type) = 0;

  virtual std::optional<std::string_view> meta(std::string_view key) const = 0;
  virtual void set_meta(std::string_view key, std::string_view value) = 0;  // throws on an empty key
  virtual void remove_meta(std::string_view key) = 0;
  virtual size_t meta_count() const = 0;
  virtual std::pair<std::string_view, std::string_view> meta_at(size_t index) const = 0;

  virtual int64_t id() const = 0;  // 0 when the host has not stored it
};

}  // namespace ferry::lua
