#include "time_zone.hpp"

#include <date/tz.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <optional>
#include <stdexcept>

#include "posix_tz.hpp"

namespace ferry::cron {

namespace {

// Where Debian's tzdata puts the compiled zones, and where libdate-tz
// (USE_OS_TZDB) reads them from.
constexpr const char* kZoneDir = "/usr/share/zoneinfo/";

// The footer of a TZif v2+ file: the text between its last two newlines.
std::optional<PosixRule> footer_rule(const std::string& name) {
  std::ifstream in(kZoneDir + name, std::ios::binary);
  if (!in) return std::nullopt;
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (bytes.size() < 6 || bytes.compare(0, 4, "TZif") != 0 || bytes[4] < '2' || bytes.back() != '\n')
    return std::nullopt;
  const size_t open = bytes.rfind('\n', bytes.size() - 2);
  if (open == std::string::npos) return std::nullopt;
  return PosixRule::parse(std::string_view(bytes).substr(open + 1, bytes.size() - open - 2));
}

}  // namespace

struct TimeZone::Data {
  std::string name;
  const date::time_zone* zone = nullptr;  // nullptr: UTC
  std::optional<PosixRule> tail;          // rule from the file's last transition on
  int64_t tail_from = INT64_MAX;
};

TimeZone TimeZone::utc() {
  static const auto data = [] {
    auto d = std::make_shared<Data>();
    d->name = "UTC";
    return d;
  }();
  return TimeZone(data);
}

TimeZone TimeZone::locate(const std::string& name) {
  if (name == "UTC") return utc();
  auto d = std::make_shared<Data>();
  d->name = name;
  try {
    date::get_tzdb();
  } catch (const std::exception& e) {
    throw std::invalid_argument("cannot read the time zone database in " + std::string(kZoneDir) +
                                " (is tzdata installed?): " + e.what());
  }
  try {
    d->zone = date::locate_zone(name);
  } catch (const std::exception&) {
    throw std::invalid_argument("unknown time zone '" + name + "' (expected an IANA name such as Europe/Berlin, from " +
                                std::string(kZoneDir) + ")");
  }
  if (auto rule = footer_rule(name); rule && rule->has_dst()) {
    // The last explicit transition: where the file's table ends.
    const auto last = d->zone->get_info(date::sys_days{date::year{9999} / 1 / 1});
    d->tail = rule;
    d->tail_from = last.begin.time_since_epoch().count();
  }
  return TimeZone(std::move(d));
}

const std::string& TimeZone::name() const { return data_->name; }

OffsetSpan TimeZone::span_at(int64_t utc_seconds) const {
  constexpr int64_t kForever = INT64_MAX / 4;
  const Data& d = *data_;
  if (d.zone == nullptr) return {-kForever, kForever, 0};
  // date/tz works within years -32767..32767; keep far-off questions there.
  constexpr int64_t kLimit = 1'000'000'000'000;
  utc_seconds = std::clamp(utc_seconds, -kLimit, kLimit);
  if (d.tail && utc_seconds >= d.tail_from) {
    OffsetSpan s = d.tail->span_at(utc_seconds);
    s.begin = std::max(s.begin, d.tail_from);
    return s;
  }
  const auto info = d.zone->get_info(date::sys_seconds{std::chrono::seconds{utc_seconds}});
  return {std::max(info.begin.time_since_epoch().count(), -kForever),
          std::min(std::min(info.end.time_since_epoch().count(), kForever), d.tail ? d.tail_from : kForever),
          static_cast<int32_t>(info.offset.count())};
}

}  // namespace ferry::cron
