#include "time_format.hpp"

#include <cstdio>
#include <ctime>

namespace ferry::file {

namespace {

struct Parts {
  std::tm tm{};
  int ms = 0;
};

Parts split(int64_t epoch_ms) {
  // Floor division, so instants before 1970 still get 0..999 milliseconds.
  int64_t secs = epoch_ms / 1000;
  int64_t ms = epoch_ms % 1000;
  if (ms < 0) {
    ms += 1000;
    secs -= 1;
  }
  Parts p;
  const std::time_t t = static_cast<std::time_t>(secs);
  gmtime_r(&t, &p.tm);
  p.ms = static_cast<int>(ms);
  return p;
}

int64_t epoch_ms(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

}  // namespace

std::string compact_timestamp(std::chrono::system_clock::time_point t) {
  const Parts p = split(epoch_ms(t));
  char buf[96];  // room for any int, so -Wformat-truncation is satisfied
  std::snprintf(buf, sizeof buf, "%04d%02d%02dT%02d%02d%02d.%03dZ", p.tm.tm_year + 1900, p.tm.tm_mon + 1,
                p.tm.tm_mday, p.tm.tm_hour, p.tm.tm_min, p.tm.tm_sec, p.ms);
  return buf;
}

std::string compact_date(std::chrono::system_clock::time_point t) {
  const Parts p = split(epoch_ms(t));
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d%02d%02d", p.tm.tm_year + 1900, p.tm.tm_mon + 1, p.tm.tm_mday);
  return buf;
}

std::string iso8601(int64_t epoch_ns) {
  int64_t ms = epoch_ns / 1000000;
  if (epoch_ns < 0 && epoch_ns % 1000000 != 0) ms -= 1;
  const Parts p = split(ms);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", p.tm.tm_year + 1900, p.tm.tm_mon + 1,
                p.tm.tm_mday, p.tm.tm_hour, p.tm.tm_min, p.tm.tm_sec, p.ms);
  return buf;
}

int64_t now_epoch_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace ferry::file
