// A stretch of time during which a zone's UTC offset does not change.
#pragma once

#include <cstdint>

namespace ferry::cron {

struct OffsetSpan {
  int64_t begin;   // Unix seconds, inclusive
  int64_t end;     // Unix seconds, exclusive
  int32_t offset;  // seconds east of UTC: local = utc + offset
};

}  // namespace ferry::cron
