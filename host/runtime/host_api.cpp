// The host services table (ferry_host_api_t). Every function validates its
// handles and never throws: a C++ exception must not unwind into a plugin.
#include <cstring>

#include "log/log.hpp"
#include "runtime/channel.hpp"
#include "runtime/destination.hpp"
#include "runtime/instance.hpp"
#include "runtime/objects.hpp"

namespace ferry::runtime {
namespace {

ferry_str_t str_of(const std::string& s) { return {s.data(), s.size()}; }
std::string_view sv(const char* p, size_t n) { return p == nullptr ? std::string_view() : std::string_view(p, n); }

template <class F>
auto no_throw(F&& f, decltype(f()) on_error) noexcept -> decltype(f()) {
  try {
    return f();
  } catch (...) {
    return on_error;
  }
}

void h_log(ferry_instance_t* self, int32_t level, const char* text, size_t size) {
  no_throw([&] {
    log_for(self, level, sv(text, size));
    return 0;
  }, 0);
}

void h_error_set(ferry_error_t* error, const char* text, size_t size) {
  if (error == nullptr) return;
  no_throw([&] { error->text.assign(sv(text, size)); return 0; }, 0);
}

ferry_message_t* h_message_create(const char* content, size_t size, const char* type, size_t type_size) {
  return no_throw([&]() -> ferry_message_t* {
    auto* m = new ferry_message();
    m->content.assign(sv(content, size));
    m->content_type.assign(sv(type, type_size));
    return m;
  }, nullptr);
}

void h_message_retain(ferry_message_t* m) {
  if (m != nullptr) m->refs.fetch_add(1, std::memory_order_relaxed);
}
void h_message_release(ferry_message_t* m) { MessageRef::release(m); }

ferry_str_t h_message_content(const ferry_message_t* m) {
  return m == nullptr ? ferry_str_t{nullptr, 0} : str_of(m->content);
}
ferry_status_t h_message_set_content(ferry_message_t* m, const char* data, size_t size) {
  if (m == nullptr) return FERRY_ERROR;
  return no_throw([&] { m->content.assign(sv(data, size)); return FERRY_OK; }, FERRY_ERROR);
}
ferry_str_t h_message_content_type(const ferry_message_t* m) {
  return m == nullptr ? ferry_str_t{nullptr, 0} : str_of(m->content_type);
}
ferry_status_t h_message_set_content_type(ferry_message_t* m, const char* data, size_t size) {
  if (m == nullptr) return FERRY_ERROR;
  return no_throw([&] { m->content_type.assign(sv(data, size)); return FERRY_OK; }, FERRY_ERROR);
}

int32_t h_meta_get(const ferry_message_t* m, const char* key, size_t key_size, ferry_str_t* out) {
  if (m == nullptr) return 0;
  const auto k = sv(key, key_size);
  for (const auto& [name, value] : m->meta)
    if (name == k) {
      if (out != nullptr) *out = str_of(value);
      return 1;
    }
  return 0;
}
ferry_status_t h_meta_set(ferry_message_t* m, const char* key, size_t key_size, const char* value,
                          size_t value_size) {
  if (m == nullptr || key_size == 0) return FERRY_ERROR;
  return no_throw([&] {
    const auto k = sv(key, key_size);
    for (auto& [name, v] : m->meta)
      if (name == k) {
        v.assign(sv(value, value_size));
        return FERRY_OK;
      }
    m->meta.emplace_back(std::string(k), std::string(sv(value, value_size)));
    return FERRY_OK;
  }, FERRY_ERROR);
}
int32_t h_meta_remove(ferry_message_t* m, const char* key, size_t key_size) {
  if (m == nullptr) return 0;
  const auto k = sv(key, key_size);
  for (auto it = m->meta.begin(); it != m->meta.end(); ++it)
    if (it->first == k) {
      m->meta.erase(it);
      return 1;
    }
  return 0;
}
size_t h_meta_count(const ferry_message_t* m) { return m == nullptr ? 0 : m->meta.size(); }
int32_t h_meta_at(const ferry_message_t* m, size_t index, ferry_str_t* key, ferry_str_t* value) {
  if (m == nullptr || index >= m->meta.size()) return 0;
  if (key != nullptr) *key = str_of(m->meta[index].first);
  if (value != nullptr) *value = str_of(m->meta[index].second);
  return 1;
}
int64_t h_message_id(const ferry_message_t* m) { return m == nullptr ? 0 : m->id; }

const nlohmann::json* config_at(const ferry_config_t* c, const char* key) {
  if (c == nullptr || key == nullptr || !c->value.is_object()) return nullptr;
  auto it = c->value.find(key);
  return it == c->value.end() ? nullptr : &*it;
}
ferry_str_t h_config_json(const ferry_config_t* c) { return c == nullptr ? ferry_str_t{nullptr, 0} : str_of(c->text); }
int32_t h_config_get_string(const ferry_config_t* c, const char* key, ferry_str_t* out) {
  const auto* v = config_at(c, key);
  if (v == nullptr || !v->is_string() || out == nullptr) return 0;
  *out = str_of(v->get_ref<const std::string&>());
  return 1;
}
int32_t h_config_get_int(const ferry_config_t* c, const char* key, int64_t* out) {
  const auto* v = config_at(c, key);
  if (v == nullptr || !v->is_number_integer() || out == nullptr) return 0;
  *out = v->get<int64_t>();
  return 1;
}
int32_t h_config_get_number(const ferry_config_t* c, const char* key, double* out) {
  const auto* v = config_at(c, key);
  if (v == nullptr || !v->is_number() || out == nullptr) return 0;
  *out = v->get<double>();
  return 1;
}
int32_t h_config_get_bool(const ferry_config_t* c, const char* key, int32_t* out) {
  const auto* v = config_at(c, key);
  if (v == nullptr || !v->is_boolean() || out == nullptr) return 0;
  *out = v->get<bool>() ? 1 : 0;
  return 1;
}
size_t h_config_list_size(const ferry_config_t* c, const char* key) {
  const auto* v = config_at(c, key);
  return v != nullptr && v->is_array() ? v->size() : 0;
}
int32_t h_config_list_at(const ferry_config_t* c, const char* key, size_t index, ferry_str_t* out) {
  const auto* v = config_at(c, key);
  if (v == nullptr || !v->is_array() || index >= v->size() || !(*v)[index].is_string() || out == nullptr) return 0;
  *out = str_of((*v)[index].get_ref<const std::string&>());
  return 1;
}
int32_t h_config_get_json(const ferry_config_t* c, const char* key, ferry_str_t* out) {
  const auto* v = config_at(c, key);
  if (v == nullptr || out == nullptr) return 0;
  return no_throw([&] {
    auto& cache = const_cast<ferry_config_t*>(c)->json_texts;  // create() is single-threaded
    auto [it, inserted] = cache.try_emplace(key);
    if (inserted) it->second = v->dump();
    *out = str_of(it->second);
    return 1;
  }, 0);
}

ferry_status_t h_emit(ferry_instance_t* self, ferry_message_t* m, ferry_emit_done_fn done, void* user) {
  if (self == nullptr || self->channel == nullptr || self->component == nullptr ||
      self->component->kind != FERRY_KIND_SOURCE || self->name != "source")
    return FERRY_ERROR;
  return no_throw([&] { return self->channel->emit(m, done, user); }, FERRY_ERROR);
}

ferry_message_t* h_delivery_message(ferry_delivery_t* d) {
  return DestinationQueue::live(d) ? d->message : nullptr;
}
void h_delivery_complete(ferry_delivery_t* d, ferry_status_t status, ferry_message_t* response, const char* error,
                         size_t error_size) {
  if (!DestinationQueue::claim(d)) {
    log::write(log::Level::error, "plugin", "", "delivery_complete() on a delivery that is not live; ignored");
    return;
  }
  no_throw([&] {
    d->queue->complete(d, status, response, sv(error, error_size));
    return 0;
  }, 0);
}

uint64_t h_timer_start(ferry_instance_t* self, uint64_t delay, uint64_t interval, ferry_callback_fn fn, void* user) {
  if (self == nullptr) return 0;
  return no_throw([&] { return start_timer(*self, delay, interval, fn, user); }, uint64_t{0});
}
void h_timer_cancel(ferry_instance_t* self, uint64_t id) {
  if (self == nullptr) return;
  no_throw([&] { cancel_timer(*self, id); return 0; }, 0);
}
ferry_status_t h_post(ferry_instance_t* self, ferry_callback_fn fn, void* user) {
  if (self == nullptr) return FERRY_ERROR;
  return no_throw([&] { return post_work(*self, fn, user); }, FERRY_ERROR);
}

void h_counter_add(ferry_instance_t* self, const char* name, size_t size, uint64_t delta) {
  if (self == nullptr || size == 0) return;
  no_throw([&] {
    std::lock_guard lock(self->metrics_mutex);
    self->counters[std::string(sv(name, size))] += delta;
    return 0;
  }, 0);
}
void h_gauge_set(ferry_instance_t* self, const char* name, size_t size, int64_t value) {
  if (self == nullptr || size == 0) return;
  no_throw([&] {
    std::lock_guard lock(self->metrics_mutex);
    self->gauges[std::string(sv(name, size))] = value;
    return 0;
  }, 0);
}

ferry_str_t h_instance_channel(const ferry_instance_t* self) {
  return self == nullptr ? ferry_str_t{nullptr, 0} : str_of(self->channel_id);
}
ferry_str_t h_instance_name(const ferry_instance_t* self) {
  return self == nullptr ? ferry_str_t{nullptr, 0} : str_of(self->name);
}

ferry_host_api_t make_table() {
  ferry_host_api_t t{};
  t.struct_size = sizeof(ferry_host_api_t);
  t.abi_major = FERRY_ABI_MAJOR;
  t.abi_minor = FERRY_ABI_MINOR;
  t.log = h_log;
  t.error_set = h_error_set;
  t.message_create = h_message_create;
  t.message_retain = h_message_retain;
  t.message_release = h_message_release;
  t.message_content = h_message_content;
  t.message_set_content = h_message_set_content;
  t.message_content_type = h_message_content_type;
  t.message_set_content_type = h_message_set_content_type;
  t.message_meta_get = h_meta_get;
  t.message_meta_set = h_meta_set;
  t.message_meta_remove = h_meta_remove;
  t.message_meta_count = h_meta_count;
  t.message_meta_at = h_meta_at;
  t.message_id = h_message_id;
  t.config_json = h_config_json;
  t.config_get_string = h_config_get_string;
  t.config_get_int = h_config_get_int;
  t.config_get_number = h_config_get_number;
  t.config_get_bool = h_config_get_bool;
  t.config_list_size = h_config_list_size;
  t.config_list_at = h_config_list_at;
  t.config_get_json = h_config_get_json;
  t.emit = h_emit;
  t.delivery_message = h_delivery_message;
  t.delivery_complete = h_delivery_complete;
  t.timer_start = h_timer_start;
  t.timer_cancel = h_timer_cancel;
  t.post = h_post;
  t.counter_add = h_counter_add;
  t.gauge_set = h_gauge_set;
  t.instance_channel = h_instance_channel;
  t.instance_name = h_instance_name;
  return t;
}

}  // namespace

const ferry_host_api_t* host_api() {
  static const ferry_host_api_t table = make_table();
  return &table;
}

}  // namespace ferry::runtime
