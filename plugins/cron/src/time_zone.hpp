// An IANA time zone from the system's tzdata (/usr/share/zoneinfo), read
// through Howard Hinnant's date/tz library (Debian's libdate-tz, built with
// USE_OS_TZDB), plus the zone's POSIX rule for the years after the file's
// last explicit transition (see posix_tz.hpp).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "offset_span.hpp"

namespace ferry::cron {

class TimeZone {
 public:
  static TimeZone utc();
  // Throws std::invalid_argument ("unknown time zone ...") for a name the
  // tz database does not know.
  static TimeZone locate(const std::string& name);

  const std::string& name() const;
  // The span with one UTC offset that contains utc_seconds.
  OffsetSpan span_at(int64_t utc_seconds) const;

 private:
  struct Data;
  explicit TimeZone(std::shared_ptr<const Data> data) : data_(std::move(data)) {}
  std::shared_ptr<const Data> data_;
};

}  // namespace ferry::cron
