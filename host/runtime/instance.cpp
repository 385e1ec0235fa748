#include "runtime/instance.hpp"

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <thread>

#include "log/log.hpp"
#include "runtime/engine.hpp"

namespace ferry::runtime {

namespace asio = boost::asio;

// A plugin timer. Its asio timer is only touched on its strand; run_mutex is
// held while the plugin callback runs so cancel can wait for it.
struct Timer : std::enable_shared_from_this<Timer> {
  Timer(asio::io_context& io, ferry_instance& owner)
      : strand(asio::make_strand(io)), timer(strand), owner(owner) {}
  asio::strand<asio::io_context::executor_type> strand;
  asio::steady_timer timer;
  ferry_instance& owner;
  uint64_t id = 0;
  uint64_t interval_ms = 0;
  ferry_callback_fn fn = nullptr;
  void* user = nullptr;
  std::atomic<bool> cancelled{false};
  std::mutex run_mutex;
  std::atomic<std::thread::id> running_on{};
};

namespace {

void forget_timer(ferry_instance& inst, uint64_t id) {
  std::lock_guard lock(inst.timers_mutex);
  inst.timers.erase(id);
}

void arm(const std::shared_ptr<Timer>& t) {
  t->timer.async_wait(asio::bind_executor(t->strand, [t](const boost::system::error_code& ec) {
    if (ec || t->cancelled) return;
    // Everything touching the owner happens under run_mutex, which cancel()
    // waits for: once cancel returns, the owner may be destroyed.
    std::lock_guard run(t->run_mutex);
    if (t->cancelled || !t->owner.begin_activity()) return;
    t->running_on = std::this_thread::get_id();
    t->fn(t->user);
    t->running_on = std::thread::id{};
    t->owner.end_activity();
    if (t->interval_ms == 0 || t->cancelled) {
      forget_timer(t->owner, t->id);
      return;
    }
    // Fixed rate, but never a burst of catch-up runs after a slow callback.
    const auto now = asio::steady_timer::clock_type::now();
    auto next = t->timer.expiry() + std::chrono::milliseconds(t->interval_ms);
    if (next < now) next = now + std::chrono::milliseconds(t->interval_ms);
    t->timer.expires_at(next);
    arm(t);
  }));
}

void cancel(const std::shared_ptr<Timer>& t) {
  t->cancelled = true;
  asio::post(t->strand, [t] { t->timer.cancel(); });
  // Wait for a running callback, unless it is the caller.
  if (t->running_on.load() != std::this_thread::get_id()) std::lock_guard wait(t->run_mutex);
}

log::Level to_level(int32_t level) {
  switch (level) {
    case FERRY_LOG_TRACE: return log::Level::trace;
    case FERRY_LOG_DEBUG: return log::Level::debug;
    case FERRY_LOG_INFO: return log::Level::info;
    case FERRY_LOG_WARN: return log::Level::warn;
    default: return log::Level::error;
  }
}

}  // namespace

void log_for(const ferry_instance* inst, int32_t level, std::string_view text) {
  const log::Level l = to_level(level);
  if (!log::enabled(l)) return;
  if (inst == nullptr) return log::write(l, "plugin", "", text);
  const std::string component =
      inst->component ? inst->component->type + (inst->name.empty() ? "" : "/" + inst->name) : inst->name;
  log::write(l, component, inst->channel_id, text);
}

bool create_instance(ferry_instance& inst, const config::ComponentRef& ref, std::string& error) {
  ferry_config cfg;
  cfg.value = ref.config;
  cfg.text = ref.config.dump();
  ferry_error err;
  void* state = nullptr;
  const ferry_status_t s = inst.component->desc.create(host_api(), &inst, &cfg, &state, &err);
  if (s != FERRY_OK) {
    error = ref.path + ": " + inst.component->type + " could not be created: " +
            (err.text.empty() ? "(no error text)" : err.text);
    return false;
  }
  inst.state = state;
  inst.created = true;
  return true;
}

bool start_instance(ferry_instance& inst, std::string& error) {
  ferry_error err;
  if (inst.component->desc.start(inst.state, &err) != FERRY_OK) {
    error = inst.component->type + " (" + inst.channel_id + "/" + inst.name +
            ") failed to start: " + (err.text.empty() ? "(no error text)" : err.text);
    return false;
  }
  inst.started = true;
  return true;
}

void stop_instance(ferry_instance& inst) {
  {
    std::lock_guard lock(inst.activity_mutex);
    inst.closing = true;
  }
  std::map<uint64_t, std::shared_ptr<Timer>> timers;
  {
    std::lock_guard lock(inst.timers_mutex);
    timers.swap(inst.timers);
  }
  for (auto& [id, t] : timers) cancel(t);
  {
    std::unique_lock lock(inst.activity_mutex);
    inst.activity_cv.wait(lock, [&] { return inst.activity == 0; });
  }
  if (inst.started && !inst.stopped) inst.component->desc.stop(inst.state);
  inst.stopped = true;
}

void destroy_instance(ferry_instance& inst) {
  if (!inst.created) return;
  stop_instance(inst);
  inst.component->desc.destroy(inst.state);
  inst.created = false;
  inst.state = nullptr;
}

uint64_t start_timer(ferry_instance& inst, uint64_t delay_ms, uint64_t interval_ms,
                     ferry_callback_fn fn, void* user) {
  if (fn == nullptr || inst.closing) return 0;
  auto t = std::make_shared<Timer>(inst.engine->io(), inst);
  t->interval_ms = interval_ms;
  t->fn = fn;
  t->user = user;
  {
    std::lock_guard lock(inst.timers_mutex);
    if (inst.closing) return 0;
    t->id = inst.next_timer_id++;
    inst.timers.emplace(t->id, t);
  }
  asio::post(t->strand, [t, delay_ms] {
    t->timer.expires_after(std::chrono::milliseconds(delay_ms));
    arm(t);
  });
  return t->id;
}

void cancel_timer(ferry_instance& inst, uint64_t id) {
  std::shared_ptr<Timer> t;
  {
    std::lock_guard lock(inst.timers_mutex);
    auto it = inst.timers.find(id);
    if (it == inst.timers.end()) return;
    t = it->second;
    inst.timers.erase(it);
  }
  cancel(t);
}

ferry_status_t post_work(ferry_instance& inst, ferry_callback_fn fn, void* user) {
  if (fn == nullptr) return FERRY_ERROR;
  if (!inst.begin_activity()) return FERRY_STOPPING;
  asio::post(inst.engine->io(), [&inst, fn, user] {
    fn(user);
    inst.end_activity();
  });
  return FERRY_OK;
}

}  // namespace ferry::runtime
