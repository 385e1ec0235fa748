// The POSIX TZ rule that ends every TZif v2+ file (RFC 8536 section 3.3),
// e.g. "EST5EDT,M3.2.0,M11.1.0" or "<-02>2<-01>,M3.5.0/-1,M10.5.0/0".
//
// The zoneinfo files list explicit transitions only up to some year (2037
// in Debian's); the rule covers every instant after the last one. The
// date/tz library in its system-tzdb mode ignores it (so New York would keep
// standard time from 2038 on), which is why it is evaluated here.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "offset_span.hpp"

namespace ferry::cron {

class PosixRule {
 public:
  // nullopt when the text is not a rule in RFC 8536's extended POSIX syntax
  // (signed rule times up to 167 hours are accepted).
  static std::optional<PosixRule> parse(std::string_view text);

  // The span (with its offset) that contains utc_seconds.
  OffsetSpan span_at(int64_t utc_seconds) const;
  bool has_dst() const { return has_rules_; }

 private:
  // When in the year a change happens: Jn (1..365, Feb 29 never counted),
  // n (0..365, counted) or Mm.w.d (weekday d of week w, 5 = last), at `time`
  // seconds after local midnight of that day (may be negative or > 24 h).
  struct When {
    enum class Kind { julian, zero_based, month_week_day } kind = Kind::month_week_day;
    int day = 0;  // n of Jn or n
    int month = 0, week = 0, weekday = 0;
    int32_t time = 7200;
    int64_t local_seconds(int year) const;  // seconds since 1970-01-01 00:00 local
  };

  int32_t std_offset_ = 0;  // seconds east of UTC
  int32_t dst_offset_ = 0;
  bool has_rules_ = false;
  When start_, end_;  // start: standard -> daylight; end: back
};

}  // namespace ferry::cron
