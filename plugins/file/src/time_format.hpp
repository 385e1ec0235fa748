// UTC time texts used in file names and metadata. Always UTC: local time
// makes names ambiguous around DST changes and differs between hosts.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace ferry::file {

// 20261126T045639.123Z: sorts by time and is safe in a file name.
std::string compact_timestamp(std::chrono::system_clock::time_point t);
// 20261126
std::string compact_date(std::chrono::system_clock::time_point t);
// 2026-11-26T04:56:39.123Z (ISO 8601), from Unix epoch nanoseconds.
std::string iso8601(int64_t epoch_ns);

int64_t now_epoch_ns();

}  // namespace ferry::file
