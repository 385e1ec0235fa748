#include <ferry/template/template.hpp>

#include <cstdio>
#include <ctime>

namespace ferry::tmpl {

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

// Floor, so instants before 1970 round towards the past like split() does.
int64_t epoch_ms(std::chrono::system_clock::time_point t) {
  return std::chrono::floor<std::chrono::milliseconds>(t.time_since_epoch()).count();
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

std::string iso8601(std::chrono::system_clock::time_point t) {
  const Parts p = split(epoch_ms(t));
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", p.tm.tm_year + 1900, p.tm.tm_mon + 1,
                p.tm.tm_mday, p.tm.tm_hour, p.tm.tm_min, p.tm.tm_sec, p.ms);
  return buf;
}

}  // namespace ferry::tmpl
