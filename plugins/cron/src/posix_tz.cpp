#include "posix_tz.hpp"

#include <date/date.h>

#include <algorithm>
#include <array>
#include <cctype>

namespace ferry::cron {

namespace {

class Reader {
 public:
  explicit Reader(std::string_view s) : s_(s) {}
  bool done() const { return i_ == s_.size(); }
  bool take(char c) {
    if (done() || s_[i_] != c) return false;
    ++i_;
    return true;
  }
  char peek() const { return done() ? '\0' : s_[i_]; }

  // A zone abbreviation: <...> (letters, digits, + and -) or 3+ letters.
  bool name() {
    if (take('<')) {
      size_t n = 0;
      while (!done() && (std::isalnum(static_cast<unsigned char>(peek())) || peek() == '+' || peek() == '-')) {
        ++i_;
        ++n;
      }
      return n >= 3 && take('>');
    }
    size_t n = 0;
    while (!done() && std::isalpha(static_cast<unsigned char>(peek()))) {
      ++i_;
      ++n;
    }
    return n >= 3;
  }

  // [+|-]hh[:mm[:ss]] as seconds, hours up to max_hours.
  bool time(int32_t max_hours, int32_t& out) {
    int32_t sign = 1;
    if (take('-')) sign = -1;
    else take('+');
    int32_t h = 0, m = 0, sec = 0;
    if (!number(2, h) && !number(3, h)) return false;
    if (h > max_hours) return false;
    if (take(':')) {
      if (!number(2, m) || m > 59) return false;
      if (take(':') && (!number(2, sec) || sec > 59)) return false;
    }
    out = sign * (h * 3600 + m * 60 + sec);
    return true;
  }

  // Up to max_digits decimal digits, at least one.
  bool number(size_t max_digits, int32_t& out) {
    const size_t start = i_;
    int32_t v = 0;
    while (!done() && i_ - start < max_digits && std::isdigit(static_cast<unsigned char>(peek())))
      v = v * 10 + (s_[i_++] - '0');
    if (i_ == start) return false;
    out = v;
    return true;
  }

  size_t pos() const { return i_; }
  void rewind(size_t pos) { i_ = pos; }

 private:
  std::string_view s_;
  size_t i_ = 0;
};

int64_t days_since_epoch(int year, unsigned month, unsigned day) {
  const date::sys_days d{date::year{year} / date::month{month} / date::day{day}};
  return d.time_since_epoch().count();
}

int civil_year(int64_t utc_seconds) {
  const int64_t days = (utc_seconds >= 0 ? utc_seconds : utc_seconds - 86399) / 86400;
  const date::year_month_day ymd{date::sys_days{date::days{days}}};
  return static_cast<int>(ymd.year());
}

}  // namespace

int64_t PosixRule::When::local_seconds(int year) const {
  int64_t day = 0;
  switch (kind) {
    case Kind::julian: {
      const bool leap = date::year{year}.is_leap();
      day = days_since_epoch(year, 1, 1) + (this->day - 1) + (leap && this->day >= 60 ? 1 : 0);
      break;
    }
    case Kind::zero_based:
      day = days_since_epoch(year, 1, 1) + this->day;
      break;
    case Kind::month_week_day: {
      const date::year_month ym{date::year{year}, date::month{static_cast<unsigned>(month)}};
      const date::weekday wd{static_cast<unsigned>(weekday)};
      const date::sys_days d = week == 5 ? date::sys_days{ym / wd[date::last]}
                                         : date::sys_days{ym / wd[static_cast<unsigned>(week)]};
      day = d.time_since_epoch().count();
      break;
    }
  }
  return day * 86400 + time;
}

std::optional<PosixRule> PosixRule::parse(std::string_view text) {
  Reader r(text);
  PosixRule rule;
  int32_t west = 0;
  if (!r.name() || !r.time(24, west)) return std::nullopt;
  rule.std_offset_ = -west;
  rule.dst_offset_ = rule.std_offset_;
  if (r.done()) return rule;
  if (!r.name()) return std::nullopt;
  rule.dst_offset_ = rule.std_offset_ + 3600;
  if (r.peek() != ',' && !r.done()) {
    if (!r.time(24, west)) return std::nullopt;
    rule.dst_offset_ = -west;
  }
  // A daylight name without rules: nothing says when it applies; TZif
  // footers always carry rules, so treat it as standard time all year.
  if (r.done()) return rule;
  auto when = [&](When& w) {
    if (!r.take(',')) return false;
    if (r.take('J')) {
      w.kind = When::Kind::julian;
      if (!r.number(3, w.day) || w.day < 1 || w.day > 365) return false;
    } else if (r.take('M')) {
      w.kind = When::Kind::month_week_day;
      if (!r.number(2, w.month) || w.month < 1 || w.month > 12 || !r.take('.')) return false;
      if (!r.number(1, w.week) || w.week < 1 || w.week > 5 || !r.take('.')) return false;
      if (!r.number(1, w.weekday) || w.weekday > 6) return false;
    } else {
      w.kind = When::Kind::zero_based;
      if (!r.number(3, w.day) || w.day > 365) return false;
    }
    w.time = 7200;
    if (r.take('/') && !r.time(167, w.time)) return false;
    return true;
  };
  if (!when(rule.start_) || !when(rule.end_) || !r.done()) return std::nullopt;
  rule.has_rules_ = true;
  return rule;
}

OffsetSpan PosixRule::span_at(int64_t utc_seconds) const {
  constexpr int64_t kForever = INT64_MAX / 4;
  if (!has_rules_) return {-kForever, kForever, std_offset_};
  // Every change from the year before to the year after, in order. A start
  // and an end at the same instant (daylight time all year, e.g.
  // "<-03>3<-02>,0/0,J365/25") keep their order: the end of one year comes
  // before the start of the next, so daylight time wins.
  struct Change {
    int64_t at;
    int32_t offset;
  };
  std::array<Change, 6> changes{};
  const int year = civil_year(utc_seconds);
  size_t n = 0;
  for (int y = year - 1; y <= year + 1; ++y) {
    changes[n++] = {start_.local_seconds(y) - std_offset_, dst_offset_};
    changes[n++] = {end_.local_seconds(y) - dst_offset_, std_offset_};
  }
  std::stable_sort(changes.begin(), changes.end(), [](const Change& a, const Change& b) { return a.at < b.at; });
  // Before the first change of the window the other offset than its own holds.
  OffsetSpan span{-kForever, changes[0].at, changes[0].offset == dst_offset_ ? std_offset_ : dst_offset_};
  for (size_t i = 0; i < n; ++i) {
    if (changes[i].at > utc_seconds) {
      span.end = changes[i].at;
      return span;
    }
    span = {changes[i].at, kForever, changes[i].offset};
  }
  return span;
}

}  // namespace ferry::cron
