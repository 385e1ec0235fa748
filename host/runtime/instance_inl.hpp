#pragma once

#include "loader/plugin.hpp"

namespace ferry::runtime {

template <class F>
bool call_plugin(ferry_instance& inst, F&& f) {
  if (!inst.begin_activity()) return false;
  if (inst.component->desc.flags & FERRY_COMPONENT_CONCURRENT) {
    f();
  } else {
    std::lock_guard lock(inst.call_mutex);
    f();
  }
  inst.end_activity();
  return true;
}

}  // namespace ferry::runtime
