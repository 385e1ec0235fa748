#include "host_message.hpp"

namespace ferry::lua {

size_t HostMessage::meta_count() const { return ferry::host().message_meta_count(m_.get()); }

std::pair<std::string_view, std::string_view> HostMessage::meta_at(size_t index) const {
  ferry_str_t key{}, value{};
  if (ferry::host().message_meta_at(m_.get(), index, &key, &value) == 0) return {};
  return {ferry::view(key), ferry::view(value)};
}

}  // namespace ferry::lua
