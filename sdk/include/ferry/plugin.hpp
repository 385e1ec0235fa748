// ferry/plugin.hpp — header-only C++20 layer over the Ferry C ABI.
//
// Everything here is compiled into the plugin: the host only ever sees the C
// structs of <ferry/plugin.h>. Every function the host calls goes through a
// trampoline below that catches all exceptions and turns them into a status
// plus error text, so no C++ exception ever crosses the ABI.
//
// A component is a class deriving from Source, Transformer, Destination or
// Scheduler, with a constructor (ferry::Instance, const ferry::Config&) and
// static members `type`, `version`, `description` and optionally
// `config_keys` (a std::array of ferry::Key). See docs/plugin-authoring.md.
#ifndef FERRY_PLUGIN_HPP
#define FERRY_PLUGIN_HPP

#include <ferry/plugin.h>

#include <array>
#include <cstring>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace ferry {

namespace detail {
// Each plugin .so has its own copy (symbols are hidden), set at init/create.
inline const ferry_host_api_t*& host_slot() {
  static const ferry_host_api_t* host = nullptr;
  return host;
}
}  // namespace detail

inline const ferry_host_api_t& host() { return *detail::host_slot(); }

inline std::string_view view(ferry_str_t s) {
  return s.size == 0 ? std::string_view() : std::string_view(s.data, s.size);
}

// Exceptions a component throws to report an outcome other than success.
// Anything else thrown counts as Error with its what() text.
struct Error : std::runtime_error {
  using std::runtime_error::runtime_error;
};
struct RetryLater : std::runtime_error {  // destination: transient failure
  using std::runtime_error::runtime_error;
};
struct Filtered : std::runtime_error {  // transformer: drop, with a reason
  using std::runtime_error::runtime_error;
};

// --------------------------------------------------------------------------
// Message: RAII over a reference-counted ferry_message_t.
// --------------------------------------------------------------------------
class Message {
 public:
  Message() = default;
  static Message create(std::string_view content,
                        std::string_view content_type = "text/plain") {
    ferry_message_t* m = host().message_create(
        content.data(), content.size(), content_type.data(),
        content_type.size());
    if (m == nullptr) throw std::bad_alloc();
    return adopt(m);
  }
  // Take over an owned reference.
  static Message adopt(ferry_message_t* m) {
    Message msg;
    msg.m_ = m;
    return msg;
  }
  // Add a reference to a borrowed handle.
  static Message borrow(ferry_message_t* m) {
    if (m != nullptr) host().message_retain(m);
    return adopt(m);
  }
  Message(const Message& o) : m_(o.m_) {
    if (m_ != nullptr) host().message_retain(m_);
  }
  Message(Message&& o) noexcept : m_(std::exchange(o.m_, nullptr)) {}
  Message& operator=(Message o) noexcept {
    std::swap(m_, o.m_);
    return *this;
  }
  ~Message() {
    if (m_ != nullptr) host().message_release(m_);
  }

  explicit operator bool() const { return m_ != nullptr; }
  ferry_message_t* get() const { return m_; }

  std::string_view content() const { return view(host().message_content(m_)); }
  void set_content(std::string_view c) {
    check(host().message_set_content(m_, c.data(), c.size()));
  }
  std::string_view content_type() const {
    return view(host().message_content_type(m_));
  }
  void set_content_type(std::string_view t) {
    check(host().message_set_content_type(m_, t.data(), t.size()));
  }
  std::optional<std::string_view> meta(std::string_view key) const {
    ferry_str_t v{};
    if (host().message_meta_get(m_, key.data(), key.size(), &v) == 0)
      return std::nullopt;
    return view(v);
  }
  void set_meta(std::string_view key, std::string_view value) {
    check(host().message_meta_set(m_, key.data(), key.size(), value.data(),
                                  value.size()));
  }
  bool remove_meta(std::string_view key) {
    return host().message_meta_remove(m_, key.data(), key.size()) != 0;
  }
  std::vector<std::pair<std::string_view, std::string_view>> meta_all() const {
    std::vector<std::pair<std::string_view, std::string_view>> out;
    const size_t n = host().message_meta_count(m_);
    out.reserve(n);
    for (size_t i = 0; i < n; ++i) {
      ferry_str_t k{}, v{};
      if (host().message_meta_at(m_, i, &k, &v) != 0)
        out.emplace_back(view(k), view(v));
    }
    return out;
  }
  int64_t id() const { return host().message_id(m_); }

 private:
  static void check(ferry_status_t s) {
    if (s != FERRY_OK) throw std::invalid_argument("the host refused the message change (empty key or out of memory)");
  }
  ferry_message_t* m_ = nullptr;
};

// --------------------------------------------------------------------------
// Config: typed access to a component's validated config (defaults filled).
// Only valid inside the component's constructor.
// --------------------------------------------------------------------------
class Config {
 public:
  explicit Config(const ferry_config_t* c) : c_(c) {}
  std::string json() const { return std::string(view(host().config_json(c_))); }
  std::string string(const char* key, std::string fallback = {}) const {
    ferry_str_t v{};
    return host().config_get_string(c_, key, &v) != 0 ? std::string(view(v))
                                                      : fallback;
  }
  int64_t integer(const char* key, int64_t fallback = 0) const {
    int64_t v = fallback;
    host().config_get_int(c_, key, &v);
    return v;
  }
  double number(const char* key, double fallback = 0) const {
    double v = fallback;
    host().config_get_number(c_, key, &v);
    return v;
  }
  bool boolean(const char* key, bool fallback = false) const {
    int32_t v = fallback ? 1 : 0;
    host().config_get_bool(c_, key, &v);
    return v != 0;
  }
  std::vector<std::string> strings(const char* key) const {
    std::vector<std::string> out;
    const size_t n = host().config_list_size(c_, key);
    for (size_t i = 0; i < n; ++i) {
      ferry_str_t v{};
      if (host().config_list_at(c_, key, i, &v) != 0)
        out.emplace_back(view(v));
    }
    return out;
  }
  std::optional<std::string> raw_json(const char* key) const {
    ferry_str_t v{};
    if (host().config_get_json(c_, key, &v) == 0) return std::nullopt;
    return std::string(view(v));
  }

 private:
  const ferry_config_t* c_;
};

// --------------------------------------------------------------------------
// Key: constexpr builder for ferry_config_key_t.
//   static constexpr std::array config_keys = {
//       ferry::Key::string("host").describe("Bind address").fallback("\"0.0.0.0\""),
//       ferry::Key::integer("port").describe("TCP port").range(1, 65535).required()};
// --------------------------------------------------------------------------
struct Key {
  ferry_config_key_t k{};

  static constexpr Key of(uint32_t type, const char* name) {
    Key key;
    key.k.struct_size = sizeof(ferry_config_key_t);
    key.k.type = type;
    key.k.name = name;
    key.k.description = "";
    return key;
  }
  static constexpr Key string(const char* n) { return of(FERRY_CFG_STRING, n); }
  static constexpr Key integer(const char* n) { return of(FERRY_CFG_INTEGER, n); }
  static constexpr Key number(const char* n) { return of(FERRY_CFG_NUMBER, n); }
  static constexpr Key boolean(const char* n) { return of(FERRY_CFG_BOOLEAN, n); }
  static constexpr Key string_list(const char* n) {
    return of(FERRY_CFG_STRING_LIST, n);
  }
  static constexpr Key json(const char* n) { return of(FERRY_CFG_JSON, n); }

  constexpr Key describe(const char* d) const { Key c = *this; c.k.description = d; return c; }
  // The default, as JSON text: "2575", "\"text\"", "true", "[]".
  constexpr Key fallback(const char* json) const { Key c = *this; c.k.default_json = json; return c; }
  constexpr Key required() const { Key c = *this; c.k.flags |= FERRY_KEY_REQUIRED; return c; }
  constexpr Key secret() const { Key c = *this; c.k.flags |= FERRY_KEY_SECRET; return c; }
  constexpr Key channel_ref() const { Key c = *this; c.k.flags |= FERRY_KEY_CHANNEL_REF; return c; }
  constexpr Key min(double v) const { Key c = *this; c.k.flags |= FERRY_KEY_HAS_MIN; c.k.min = v; return c; }
  constexpr Key max(double v) const { Key c = *this; c.k.flags |= FERRY_KEY_HAS_MAX; c.k.max = v; return c; }
  constexpr Key range(double lo, double hi) const { return min(lo).max(hi); }
  // values: a NULL-terminated static array of allowed strings.
  constexpr Key one_of(const char* const* values) const { Key c = *this; c.k.allowed = values; return c; }
};

// --------------------------------------------------------------------------
// Instance: the host's handle for one configured component.
// --------------------------------------------------------------------------
class Instance {
 public:
  explicit Instance(ferry_instance_t* self) : self_(self) {}
  ferry_instance_t* get() const { return self_; }

  void log(int32_t level, std::string_view text) const {
    host().log(self_, level, text.data(), text.size());
  }
  void debug(std::string_view t) const { log(FERRY_LOG_DEBUG, t); }
  void info(std::string_view t) const { log(FERRY_LOG_INFO, t); }
  void warn(std::string_view t) const { log(FERRY_LOG_WARN, t); }
  void error(std::string_view t) const { log(FERRY_LOG_ERROR, t); }

  void count(std::string_view name, uint64_t delta = 1) const {
    host().counter_add(self_, name.data(), name.size(), delta);
  }
  void gauge(std::string_view name, int64_t value) const {
    host().gauge_set(self_, name.data(), name.size(), value);
  }
  std::string_view channel() const { return view(host().instance_channel(self_)); }
  std::string_view name() const { return view(host().instance_name(self_)); }

 private:
  ferry_instance_t* self_;
};

namespace detail {
inline ferry_status_t fail(ferry_error_t* err, ferry_status_t status,
                           const char* what) {
  if (err != nullptr) host().error_set(err, what, std::strlen(what));
  return status;
}
// Run f, mapping exceptions to statuses (the one place where C++ errors
// become C results).
template <class F>
ferry_status_t guarded(ferry_error_t* err, F&& f) noexcept {
  try {
    f();
    return FERRY_OK;
  } catch (const Filtered& e) {
    return fail(err, FERRY_FILTERED, e.what());
  } catch (const RetryLater& e) {
    return fail(err, FERRY_RETRY, e.what());
  } catch (const std::exception& e) {
    return fail(err, FERRY_ERROR, e.what());
  } catch (...) {
    return fail(err, FERRY_ERROR, "unknown C++ exception");
  }
}
}  // namespace detail

// --------------------------------------------------------------------------
// Component bases.
// --------------------------------------------------------------------------
class Component {
 public:
  explicit Component(Instance self) : self_(self) {}
  virtual ~Component() = default;
  Component(const Component&) = delete;
  Component& operator=(const Component&) = delete;

  virtual void start() {}
  virtual void stop() {}

  const Instance& self() const { return self_; }

  // Run fn after delay_ms, then every interval_ms (> 0). Returns the id, or 0
  // when the instance is stopping. fn may cancel its own timer.
  uint64_t timer(uint64_t delay_ms, uint64_t interval_ms, std::function<void()> fn) {
    auto slot = std::make_unique<TimerSlot>();
    slot->fn = std::make_shared<std::function<void()>>(std::move(fn));
    slot->owner = this;
    slot->one_shot = interval_ms == 0;
    std::lock_guard lock(timers_mutex_);
    const uint64_t id = host().timer_start(self_.get(), delay_ms, interval_ms, &run_timer, slot.get());
    if (id != 0) {
      slot->id = id;
      timers_.emplace(id, std::move(slot));
    }
    return id;
  }
  void cancel_timer(uint64_t id) {
    host().timer_cancel(self_.get(), id);  // no callback starts after this
    std::lock_guard lock(timers_mutex_);
    timers_.erase(id);
  }
  // Run fn once on a host worker thread. False if the instance is stopping.
  bool post(std::function<void()> fn) {
    auto* holder = new std::function<void()>(std::move(fn));
    if (host().post(self_.get(), &run_once, holder) != FERRY_OK) {
      delete holder;
      return false;
    }
    return true;
  }

 private:
  struct TimerSlot {
    std::shared_ptr<std::function<void()>> fn;
    Component* owner = nullptr;
    uint64_t id = 0;
    bool one_shot = false;
  };
  static void run_timer(void* user) {
    auto* slot = static_cast<TimerSlot*>(user);
    Component* owner = slot->owner;
    std::shared_ptr<std::function<void()>> fn;  // keeps fn alive if it cancels its own timer
    uint64_t id = 0;
    bool one_shot = false;
    {
      std::lock_guard lock(owner->timers_mutex_);  // timer() may still be recording the id
      fn = slot->fn;
      id = slot->id;
      one_shot = slot->one_shot;
    }
    try {
      (*fn)();
    } catch (...) {  // never let an exception reach the host thread
    }
    if (one_shot) {  // fired for good: free its slot
      std::lock_guard lock(owner->timers_mutex_);
      owner->timers_.erase(id);
    }
  }
  static void run_once(void* user) {
    std::unique_ptr<std::function<void()>> fn(static_cast<std::function<void()>*>(user));
    try {
      (*fn)();
    } catch (...) {
    }
  }

  Instance self_;
  std::mutex timers_mutex_;
  std::map<uint64_t, std::unique_ptr<TimerSlot>> timers_;
};

struct EmitResult {
  ferry_status_t status;
  int64_t message_id;
  Message response;  // may be empty
  std::string_view error;
};

class Source : public Component {
 public:
  using Component::Component;
  // Called when the source's schedule fires (if the channel gives it one).
  virtual void poll() {}

  // Hand a message to the channel; done runs once, on a host thread, unless
  // the returned status is not FERRY_OK.
  ferry_status_t emit(const Message& m, std::function<void(EmitResult)> done) {
    auto* holder = new std::function<void(EmitResult)>(std::move(done));
    const ferry_status_t s = host().emit(self().get(), m.get(), &on_done, holder);
    if (s != FERRY_OK) delete holder;
    return s;
  }

 private:
  static void on_done(void* user, ferry_status_t status, int64_t id,
                      ferry_message_t* response, ferry_str_t error) {
    std::unique_ptr<std::function<void(EmitResult)>> fn(
        static_cast<std::function<void(EmitResult)>*>(user));
    try {
      (*fn)(EmitResult{status, id, Message::borrow(response), view(error)});
    } catch (...) {
    }
  }
};

class Transformer : public Component {
 public:
  using Component::Component;
  // Change m in place; throw Filtered to drop it, anything else to fail it.
  virtual void transform(Message& m) = 0;
};

// One send in progress. Completing is mandatory; a Delivery destroyed
// without complete() fails the send so the host is never left waiting.
class Delivery {
 public:
  explicit Delivery(ferry_delivery_t* d) : d_(d) {}
  Delivery(Delivery&& o) noexcept : d_(std::exchange(o.d_, nullptr)) {}
  Delivery& operator=(Delivery&&) = delete;
  ~Delivery() {
    if (d_ != nullptr) complete(FERRY_ERROR, {}, "delivery dropped by the plugin");
  }
  Message message() const { return Message::borrow(host().delivery_message(d_)); }
  ferry_delivery_t* handle() const { return d_; }  // the C handle, for direct ABI calls
  void complete(ferry_status_t status, const Message& response = {},
                std::string_view error = {}) {
    ferry_delivery_t* d = std::exchange(d_, nullptr);
    if (d != nullptr)
      host().delivery_complete(d, status, response.get(), error.data(),
                               error.size());
  }

 private:
  ferry_delivery_t* d_;
};

class Destination : public Component {
 public:
  using Component::Component;
  // Start sending: complete the delivery now, or move it out of the
  // reference and complete it later from any thread. Throwing RetryLater or
  // Error (without having moved it) completes it with that outcome.
  virtual void send(Delivery& delivery) = 0;
};

// A destination that sends synchronously: return the response (or an empty
// Message), throw RetryLater or Error to fail.
class SyncDestination : public Destination {
 public:
  using Destination::Destination;
  virtual Message deliver(const Message& m) = 0;
  void send(Delivery& d) final {
    Message response;
    std::string text;
    const ferry_status_t s = detail::guarded(nullptr, [&] {
      try {
        response = deliver(d.message());
      } catch (const std::exception& e) {
        text = e.what();
        throw;
      }
    });
    d.complete(s, response, text);
  }
};

class Scheduler : public Component {
 public:
  using Component::Component;
  // The first fire time after after_ms (Unix ms), or nullopt for never.
  virtual std::optional<int64_t> next_fire(int64_t after_ms) = 0;
};

// --------------------------------------------------------------------------
// Trampolines and descriptors.
// --------------------------------------------------------------------------
namespace detail {

template <class T>
constexpr uint32_t kind_of() {
  if constexpr (std::is_base_of_v<Source, T>) return FERRY_KIND_SOURCE;
  else if constexpr (std::is_base_of_v<Transformer, T>) return FERRY_KIND_TRANSFORMER;
  else if constexpr (std::is_base_of_v<Destination, T>) return FERRY_KIND_DESTINATION;
  else if constexpr (std::is_base_of_v<Scheduler, T>) return FERRY_KIND_SCHEDULER;
  else static_assert(sizeof(T) == 0, "derive from a ferry component base");
}

template <class T>
struct Trampolines {
  static ferry_status_t create(const ferry_host_api_t* h, ferry_instance_t* self,
                               const ferry_config_t* config, void** out,
                               ferry_error_t* err) {
    host_slot() = h;
    return guarded(err, [&] {
      Config c(config);
      *out = static_cast<Component*>(new T(Instance(self), c));
    });
  }
  static T& of(void* state) {
    return static_cast<T&>(*static_cast<Component*>(state));
  }
  static ferry_status_t start(void* s, ferry_error_t* err) {
    return guarded(err, [&] { of(s).start(); });
  }
  static void stop(void* s) {
    guarded(nullptr, [&] { of(s).stop(); });
  }
  static void destroy(void* s) { delete static_cast<Component*>(s); }
  static ferry_status_t poll(void* s, ferry_error_t* err) {
    if constexpr (std::is_base_of_v<Source, T>) return guarded(err, [&] { of(s).poll(); });
    else return FERRY_ERROR;
  }
  static ferry_status_t transform(void* s, ferry_message_t* m, ferry_error_t* err) {
    if constexpr (std::is_base_of_v<Transformer, T>) {
      return guarded(err, [&] {
        Message msg = Message::borrow(m);
        of(s).transform(msg);
      });
    } else {
      return FERRY_ERROR;
    }
  }
  static void send(void* s, ferry_delivery_t* d) {
    if constexpr (std::is_base_of_v<Destination, T>) {
      Delivery delivery(d);
      std::string text = "send() returned without completing the delivery";
      const ferry_status_t st = guarded(nullptr, [&] {
        try {
          of(s).send(delivery);
        } catch (const std::exception& e) {
          text = e.what();
          throw;
        }
      });
      // No-op when the plugin completed the delivery or moved it away.
      delivery.complete(st == FERRY_OK ? FERRY_ERROR : st, {}, text);
    }
  }
  static ferry_status_t next_fire(void* s, int64_t after, int64_t* next,
                                  ferry_error_t* err) {
    if constexpr (std::is_base_of_v<Scheduler, T>) {
      ferry_status_t result = FERRY_OK;
      const ferry_status_t st = guarded(err, [&] {
        const auto n = of(s).next_fire(after);
        if (n) *next = *n;
        else result = FERRY_FILTERED;
      });
      return st == FERRY_OK ? result : st;
    } else {
      return FERRY_ERROR;
    }
  }
};

template <class T>
struct KeyTable {
  static constexpr auto keys() {
    if constexpr (requires { T::config_keys; }) {
      std::array<const ferry_config_key_t*, T::config_keys.size()> p{};
      for (size_t i = 0; i < p.size(); ++i) p[i] = &T::config_keys[i].k;
      return p;
    } else {
      return std::array<const ferry_config_key_t*, 0>{};
    }
  }
  static constexpr auto table = keys();
};

}  // namespace detail

// The static descriptor of component class T.
template <class T>
const ferry_component_t* component() {
  using Tr = detail::Trampolines<T>;
  static const ferry_component_t c = [] {
    ferry_component_t d{};
    d.struct_size = sizeof(ferry_component_t);
    d.kind = detail::kind_of<T>();
    if constexpr (requires { T::flags; }) d.flags = T::flags;
    d.config_key_count = static_cast<uint32_t>(detail::KeyTable<T>::table.size());
    d.type = T::type;
    d.version = T::version;
    d.description = T::description;
    d.config_keys = detail::KeyTable<T>::table.data();
    d.create = &Tr::create;
    d.start = &Tr::start;
    d.stop = &Tr::stop;
    d.destroy = &Tr::destroy;
    if constexpr (std::is_base_of_v<Source, T>) d.poll = &Tr::poll;
    if constexpr (std::is_base_of_v<Transformer, T>) d.transform = &Tr::transform;
    if constexpr (std::is_base_of_v<Destination, T>) d.send = &Tr::send;
    if constexpr (std::is_base_of_v<Scheduler, T>) d.next_fire = &Tr::next_fire;
    return d;
  }();
  return &c;
}

namespace detail {
inline ferry_status_t plugin_init(const ferry_host_api_t* h, ferry_error_t*) {
  host_slot() = h;
  return FERRY_OK;
}
inline ferry_plugin_t make_plugin(const char* name, const char* version,
                                  const char* description,
                                  const ferry_component_t* const* components,
                                  size_t count) {
  ferry_plugin_t p{};
  p.struct_size = sizeof(ferry_plugin_t);
  p.abi_major = FERRY_ABI_MAJOR;
  p.abi_minor = FERRY_ABI_MINOR;
  p.component_count = static_cast<uint32_t>(count);
  p.name = name;
  p.version = version;
  p.description = description;
  p.components = components;
  p.init = &plugin_init;
  return p;
}
}  // namespace detail

}  // namespace ferry

// Define the plugin's entry point:
//   FERRY_PLUGIN("demo", "1.0.0", "What it does",
//                ferry::component<MySource>(), ferry::component<MySink>());
#define FERRY_PLUGIN(NAME, VERSION, DESCRIPTION, ...)                        \
  FERRY_PLUGIN_ENTRY {                                                       \
    (void)host_abi_major;                                                    \
    (void)host_abi_minor;                                                    \
    static const ferry_component_t* const components[] = {__VA_ARGS__};      \
    static const ferry_plugin_t plugin = ::ferry::detail::make_plugin(       \
        NAME, VERSION, DESCRIPTION, components,                              \
        sizeof(components) / sizeof(components[0]));                         \
    return &plugin;                                                          \
  }

#endif  // FERRY_PLUGIN_HPP
