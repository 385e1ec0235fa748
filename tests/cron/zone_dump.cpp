// Prints every UTC offset change of the named zones between two years, as
// "<zone> <unix seconds> <offset seconds>" lines, for zone_differential.py
// to compare against Python's zoneinfo.
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "time_zone.hpp"

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: %s FROM_UNIX TO_UNIX ZONE...\n", argv[0]);
    return 2;
  }
  const long long from = std::atoll(argv[1]), to = std::atoll(argv[2]);
  for (int i = 3; i < argc; ++i) {
    try {
      const auto zone = ferry::cron::TimeZone::locate(argv[i]);
      auto span = zone.span_at(from);
      int32_t offset = span.offset;
      while (span.end < to) {
        span = zone.span_at(span.end);
        if (span.offset != offset) std::printf("%s %lld %d\n", argv[i], static_cast<long long>(span.begin), span.offset);
        offset = span.offset;
      }
    } catch (const std::exception& e) {
      std::printf("%s error %s\n", argv[i], e.what());
    }
  }
  return 0;
}
