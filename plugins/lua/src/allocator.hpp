// The lua_Alloc of a script's state: plain malloc/realloc that counts the
// bytes in use and refuses any growth past the limit (max_memory_mb). Lua
// then collects garbage and tries once more; if that fails too, the script
// gets a memory error, which fails the message.
#pragma once

#include <cstddef>
#include <cstdint>

namespace ferry::lua {

struct Allocator {
  size_t limit = 0;      // bytes
  size_t used = 0;       // bytes in use now
  uint64_t refused = 0;  // growths refused since the counter was reset

  static void* allocate(void* self, void* block, size_t old_size, size_t new_size);
};

}  // namespace ferry::lua
