#include "allocator.hpp"

#include <cstdlib>

namespace ferry::lua {

void* Allocator::allocate(void* self, void* block, size_t old_size, size_t new_size) {
  auto& a = *static_cast<Allocator*>(self);
  if (block == nullptr) old_size = 0;  // Lua passes a type tag, not a size, for new blocks
  if (new_size == 0) {
    std::free(block);
    a.used -= old_size;
    return nullptr;
  }
  if (new_size > old_size && (a.used > a.limit || new_size - old_size > a.limit - a.used)) {
    ++a.refused;
    return nullptr;
  }
  void* p = std::realloc(block, new_size);
  if (p == nullptr) {
    // Lua assumes shrinking never fails; the old, larger block still serves.
    return new_size <= old_size ? block : nullptr;
  }
  a.used = a.used - old_size + new_size;
  return p;
}

}  // namespace ferry::lua
