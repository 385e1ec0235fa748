#include "control_id.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <random>

namespace ferry::hl7::detail {

namespace {

uint64_t process_seed() {
  std::random_device rd;
  return (static_cast<uint64_t>(rd()) << 32) ^ rd() ^
         static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
}

}  // namespace

std::string new_control_id() {
  static const uint64_t seed = process_seed();
  static std::atomic<uint64_t> counter{0};
  // 8 hex digits of time, then 48 bits of (random start + counter): the
  // counter makes ids unique in this process until it wraps after 2^48,
  // the random start keeps processes started in the same second apart.
  const auto now = static_cast<uint64_t>(std::time(nullptr));
  const uint64_t n = (seed + counter.fetch_add(1, std::memory_order_relaxed)) & 0xFFFFFFFFFFFFull;
  char buf[21];
  std::snprintf(buf, sizeof buf, "%08llX%012llX", static_cast<unsigned long long>(now & 0xFFFFFFFFu),
                static_cast<unsigned long long>(n));
  return buf;
}

std::string timestamp_now() {
  // Formatted once per second per thread: every ACK asks for it.
  thread_local std::time_t cached_at = -1;
  thread_local std::string cached;
  const std::time_t t = std::time(nullptr);
  if (t != cached_at) {
    std::tm local{};
    localtime_r(&t, &local);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y%m%d%H%M%S", &local);
    cached = buf;
    cached_at = t;
  }
  return cached;
}

}  // namespace ferry::hl7::detail
