// UTC literals for the tests, converted with the C library (timegm,
// gmtime_r), not with the code under test.
#pragma once

#include <cstdint>
#include <cstdio>
#include <ctime>
#include <stdexcept>
#include <string>

namespace cron_test {

// "2026-03-08T07:00:00Z" -> Unix milliseconds.
inline int64_t ms(const std::string& iso) {
  std::tm tm{};
  if (iso.size() != 20 || iso[19] != 'Z' ||
      std::sscanf(iso.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
                  &tm.tm_min, &tm.tm_sec) != 6)
    throw std::invalid_argument("bad test time " + iso);
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return static_cast<int64_t>(timegm(&tm)) * 1000;
}

// Unix milliseconds -> "2026-03-08T07:00:00Z" (".250" added for a fraction).
inline std::string iso(int64_t ms) {
  const std::time_t t = static_cast<std::time_t>(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec);
  std::string out(buf);
  if (const int64_t frac = ms - static_cast<int64_t>(t) * 1000; frac != 0) {
    std::snprintf(buf, sizeof buf, ".%03d", static_cast<int>(frac));
    out += buf;
  }
  return out + "Z";
}

}  // namespace cron_test
