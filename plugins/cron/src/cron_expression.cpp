#include "cron_expression.hpp"

#include <date/date.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <stdexcept>
#include <vector>

namespace ferry::cron {

namespace {

struct FieldSpec {
  const char* name;
  int min, max;
  const char* const* names;  // names[i] stands for min + i (or nullptr)
  bool question_mark;        // '?' allowed (the day fields)
};

constexpr const char* kMonthNames[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                       "JUL", "AUG", "SEP", "OCT", "NOV", "DEC", nullptr};
constexpr const char* kDayNames[] = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT", nullptr};

constexpr FieldSpec kSecond{"second", 0, 59, nullptr, false};
constexpr FieldSpec kMinute{"minute", 0, 59, nullptr, false};
constexpr FieldSpec kHour{"hour", 0, 23, nullptr, false};
constexpr FieldSpec kDayOfMonth{"day-of-month", 1, 31, nullptr, true};
constexpr FieldSpec kMonth{"month", 1, 12, kMonthNames, false};
constexpr FieldSpec kDayOfWeek{"day-of-week", 0, 7, kDayNames, true};  // 7 is Sunday too

struct Shortcut {
  const char* name;
  const char* fields;
};
constexpr Shortcut kShortcuts[] = {
    {"@yearly", "0 0 1 1 *"}, {"@annually", "0 0 1 1 *"}, {"@monthly", "0 0 1 * *"}, {"@weekly", "0 0 * * 0"},
    {"@daily", "0 0 * * *"},  {"@midnight", "0 0 * * *"}, {"@hourly", "0 * * * *"},
};

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (;;) {
    const size_t at = s.find(sep, start);
    out.push_back(s.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
    if (at == std::string_view::npos) return out;
    start = at + 1;
  }
}

std::vector<std::string_view> words(std::string_view s) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    const size_t start = i;
    while (i < s.size() && !std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    if (i > start) out.push_back(s.substr(start, i - start));
  }
  return out;
}

// Parses one field into the bits min..max (bit i = value i).
class FieldParser {
 public:
  FieldParser(const FieldSpec& spec, std::string_view text) : spec_(spec), text_(text) {}

  std::vector<int> values() {
    if (text_.empty()) fail("empty");
    std::vector<int> out;
    for (std::string_view item : split(text_, ',')) {
      if (item.empty()) fail("empty list item");
      add_item(item, out);
    }
    return out;
  }

 private:
  [[noreturn]] void fail(const std::string& why) const {
    throw std::invalid_argument(std::string(spec_.name) + " field '" + std::string(text_) + "': " + why);
  }

  void add_item(std::string_view item, std::vector<int>& out) {
    std::string_view range = item;
    int step = 1;
    bool stepped = false;
    if (const size_t slash = item.find('/'); slash != std::string_view::npos) {
      range = item.substr(0, slash);
      step = number(item.substr(slash + 1), "step");
      stepped = true;
      if (step < 1 || step > spec_.max - spec_.min + 1)
        fail("step " + std::to_string(step) + " is out of range 1-" + std::to_string(spec_.max - spec_.min + 1));
    }
    int lo = spec_.min, hi = spec_.max;
    if (range == "*" || (range == "?" && spec_.question_mark)) {
      if (spec_.max == 7) hi = 6;  // day-of-week: 7 repeats Sunday
    } else if (range == "?") {
      fail("'?' is only allowed in the day-of-month and day-of-week fields");
    } else if (const size_t dash = range.find('-'); dash != std::string_view::npos) {
      lo = value(range.substr(0, dash));
      hi = value(range.substr(dash + 1));
      // SAT-SUN, 5-0: a day-of-week range may end on Sunday written as 0.
      if (spec_.max == 7 && hi == 0 && lo > 0) hi = 7;
      if (lo > hi) fail("range " + std::string(range) + " runs backwards (write it as two ranges)");
    } else {
      lo = value(range);
      hi = stepped ? spec_.max : lo;  // "5/15" = from 5 to the end, every 15
    }
    for (int v = lo; v <= hi; v += step) out.push_back(v);
  }

  int value(std::string_view s) const {
    if (s.empty()) fail("a range is missing an end");
    if (spec_.names != nullptr && std::isalpha(static_cast<unsigned char>(s[0]))) {
      const std::string u = upper(s);
      for (int i = 0; spec_.names[i] != nullptr; ++i)
        if (u == spec_.names[i]) return spec_.min == 0 ? i : spec_.min + i;
      fail("unknown name '" + std::string(s) + "'");
    }
    const int v = number(s, "value");
    if (v < spec_.min || v > spec_.max)
      fail(std::to_string(v) + " is out of range " + std::to_string(spec_.min) + "-" + std::to_string(spec_.max));
    return v;
  }

  int number(std::string_view s, const char* what) const {
    int v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size())
      fail("'" + std::string(s) + "' is not a valid " + what);
    return v;
  }

  const FieldSpec& spec_;
  std::string_view text_;
};

template <size_t N>
std::bitset<N> bits(const FieldSpec& spec, std::string_view text) {
  std::bitset<N> out;
  for (int v : FieldParser(spec, text).values()) out.set(static_cast<size_t>(spec.max == 7 && v == 7 ? 0 : v));
  return out;
}

bool starred(std::string_view field) { return !field.empty() && (field[0] == '*' || field[0] == '?'); }

// First set bit at or after `from`, or -1.
template <size_t N>
int next_bit(const std::bitset<N>& b, int from) {
  for (int i = from; i < static_cast<int>(N); ++i)
    if (b.test(static_cast<size_t>(i))) return i;
  return -1;
}

constexpr int64_t kDay = 86400;

int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0); }

}  // namespace

CronExpression CronExpression::parse(std::string_view text) {
  CronExpression e;
  e.text_ = std::string(text);
  const auto trimmed = words(text);
  std::string fields;
  if (!trimmed.empty() && trimmed[0][0] == '@') {
    if (trimmed.size() != 1) throw std::invalid_argument("a shortcut (" + std::string(trimmed[0]) + ") stands alone");
    const std::string name = [&] {
      std::string s(trimmed[0]);
      for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      return s;
    }();
    if (name == "@reboot")
      throw std::invalid_argument("@reboot is not supported: set run_on_start to fire when the channel starts");
    for (const auto& s : kShortcuts)
      if (name == s.name) fields = s.fields;
    if (fields.empty())
      throw std::invalid_argument("unknown shortcut '" + std::string(trimmed[0]) +
                                  "' (known: @yearly @annually @monthly @weekly @daily @midnight @hourly)");
  } else {
    for (auto w : trimmed) fields += (fields.empty() ? "" : " ") + std::string(w);
  }
  e.fields_ = fields;
  auto f = words(e.fields_);
  if (f.size() == 5) f.insert(f.begin(), "0");
  else if (f.size() != 6)
    throw std::invalid_argument(
        "expected 5 fields (minute hour day-of-month month day-of-week) or 6 (second first), got " +
        std::to_string(f.size()));
  e.seconds_ = bits<60>(kSecond, f[0]);
  e.minutes_ = bits<60>(kMinute, f[1]);
  e.hours_ = bits<24>(kHour, f[2]);
  e.days_ = bits<32>(kDayOfMonth, f[3]);
  e.months_ = bits<13>(kMonth, f[4]);
  e.weekdays_ = bits<7>(kDayOfWeek, f[5]);
  e.dom_star_ = starred(f[3]);
  e.dow_star_ = starred(f[5]);
  e.hour_star_ = starred(f[2]);
  // A day that exists in none of the months (31 in February...) never
  // matches when the day-of-month field has to match.
  if (e.dom_star_ || e.dow_star_) {
    constexpr std::array<unsigned, 13> longest{0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool possible = false;
    for (unsigned m = 1; m <= 12 && !possible; ++m)
      if (e.months_.test(m))
        for (unsigned d = 1; d <= longest[m] && !possible; ++d) possible = e.days_.test(d);
    if (!possible)
      throw std::invalid_argument("day-of-month field '" + std::string(f[3]) +
                                  "' never occurs in the months of month field '" + std::string(f[4]) + "'");
  }
  if (!e.next_match(0))
    throw std::invalid_argument("day-of-month '" + std::string(f[3]) + "' and day-of-week '" + std::string(f[5]) +
                                "' never fall on the same day");
  return e;
}

bool CronExpression::day_matches(unsigned day, unsigned weekday) const {
  const bool dom = days_.test(day);
  const bool dow = weekdays_.test(weekday);
  return (dom_star_ || dow_star_) ? (dom && dow) : (dom || dow);
}

std::optional<int64_t> CronExpression::next_match(int64_t local) const {
  int64_t day = floor_div(local, kDay);
  int64_t second_of_day = local - day * kDay;
  const int64_t last_day = day + 146097 + 31;  // one Gregorian cycle and a month
  while (day <= last_day) {
    const date::year_month_day ymd{date::sys_days{date::days{day}}};
    const unsigned m = static_cast<unsigned>(ymd.month());
    if (!months_.test(m)) {  // on to the 1st of the next month
      const auto next = date::year_month{ymd.year(), ymd.month()} + date::months{1};
      day = date::sys_days{next / 1}.time_since_epoch().count();
      second_of_day = 0;
      continue;
    }
    const unsigned weekday = date::weekday{date::sys_days{date::days{day}}}.c_encoding();
    if (!day_matches(static_cast<unsigned>(ymd.day()), weekday)) {
      ++day;
      second_of_day = 0;
      continue;
    }
    int h = static_cast<int>(second_of_day / 3600);
    int min = static_cast<int>(second_of_day / 60 % 60);
    int s = static_cast<int>(second_of_day % 60);
    const int next_h = next_bit(hours_, h);
    if (next_h < 0) {
      ++day;
      second_of_day = 0;
      continue;
    }
    if (next_h > h) {
      h = next_h;
      min = 0;
      s = 0;
    }
    const int next_min = next_bit(minutes_, min);
    if (next_min < 0) {
      second_of_day = (h + 1) * 3600;
      if (second_of_day >= kDay) {
        ++day;
        second_of_day = 0;
      }
      continue;
    }
    if (next_min > min) {
      min = next_min;
      s = 0;
    }
    const int next_s = next_bit(seconds_, s);
    if (next_s < 0) {
      second_of_day = h * 3600 + (min + 1) * 60;
      if (second_of_day >= kDay) {
        ++day;
        second_of_day = 0;
      }
      continue;
    }
    return day * kDay + h * 3600 + min * 60 + next_s;
  }
  return std::nullopt;
}

}  // namespace ferry::cron
