// Lifecycle of one component instance and the host services bound to it
// (timers, posted work, metrics). See docs/abi.md for the guarantees.
#pragma once

#include <string>

#include "config/model.hpp"
#include "runtime/objects.hpp"

namespace ferry::runtime {

// create(): build the plugin's state from the validated config.
bool create_instance(ferry_instance& inst, const config::ComponentRef& ref, std::string& error);
bool start_instance(ferry_instance& inst, std::string& error);
// Refuse new activity, cancel timers and wait until no callback of the
// instance runs; then call the plugin's stop(). Idempotent.
void stop_instance(ferry_instance& inst);
void destroy_instance(ferry_instance& inst);

// Run f (a call into the plugin) as activity of inst, serialised unless the
// component is FERRY_COMPONENT_CONCURRENT. False if the instance is closing.
template <class F>
bool call_plugin(ferry_instance& inst, F&& f);

uint64_t start_timer(ferry_instance& inst, uint64_t delay_ms, uint64_t interval_ms,
                     ferry_callback_fn fn, void* user);
void cancel_timer(ferry_instance& inst, uint64_t id);
ferry_status_t post_work(ferry_instance& inst, ferry_callback_fn fn, void* user);

// Log as the instance (component type, channel); inst may be null (plugin-wide).
void log_for(const ferry_instance* inst, int32_t level, std::string_view text);
inline void log_for(const ferry_instance& inst, int32_t level, std::string_view text) {
  log_for(&inst, level, text);
}

}  // namespace ferry::runtime

#include "runtime/instance_inl.hpp"
