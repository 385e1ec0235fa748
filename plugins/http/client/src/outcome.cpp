#include <ferry/http/outcome.hpp>

#include <curl/curl.h>

#include <stdexcept>

namespace ferry::http {

namespace {

std::optional<long> code_of(std::string_view s) {
  if (s.size() != 3) return std::nullopt;
  long v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  if (v < 100 || v > 599) return std::nullopt;
  return v;
}

// Up to `limit` bytes of a response body for an error text: one line,
// control characters shown as spaces.
std::string excerpt(std::string_view body, size_t limit) {
  std::string out;
  for (char c : body.substr(0, limit)) out += static_cast<unsigned char>(c) < 0x20 ? ' ' : c;
  if (body.size() > limit) out += "...";
  return out;
}

std::string status_text(const Response& r) {
  std::string s = "HTTP " + std::to_string(r.status);
  if (!r.reason.empty()) s += " " + r.reason;
  return s;
}

}  // namespace

StatusCodes StatusCodes::parse(const std::vector<std::string>& entries, std::string_view key) {
  StatusCodes set;
  for (const std::string& e : entries) {
    const auto bad = [&] {
      return std::invalid_argument(std::string(key) + ": \"" + e +
                                   "\" is not a status code (\"200\"), a class (\"2xx\") or a range (\"500-504\")");
    };
    if (e.size() == 3 && e[0] >= '1' && e[0] <= '5' && (e[1] == 'x' || e[1] == 'X') && (e[2] == 'x' || e[2] == 'X')) {
      const long base = (e[0] - '0') * 100;
      set.ranges_.emplace_back(base, base + 99);
    } else if (const size_t dash = e.find('-'); dash != std::string::npos) {
      const auto lo = code_of(std::string_view(e).substr(0, dash)), hi = code_of(std::string_view(e).substr(dash + 1));
      if (!lo || !hi || *lo > *hi) throw bad();
      set.ranges_.emplace_back(*lo, *hi);
    } else if (const auto c = code_of(e)) {
      set.ranges_.emplace_back(*c, *c);
    } else {
      throw bad();
    }
  }
  return set;
}

bool StatusCodes::contains(long status) const {
  for (const auto& [lo, hi] : ranges_)
    if (status >= lo && status <= hi) return true;
  return false;
}

std::optional<int64_t> parse_retry_after(std::string_view value, std::time_t now) {
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  if (value.empty()) return std::nullopt;
  if (value.find_first_not_of("0123456789") == std::string_view::npos) {
    if (value.size() > 12) return std::nullopt;  // beyond any sensible wait; also keeps it in range
    return std::stoll(std::string(value));
  }
  const std::string text(value);
  const std::time_t when = curl_getdate(text.c_str(), nullptr);  // RFC 7231 HTTP-date (and older forms)
  if (when == -1) return std::nullopt;
  return when > now ? static_cast<int64_t>(when - now) : 0;
}

Outcome judge(const Result& result, const StatusCodes& success, const StatusCodes& retry, std::time_t now) {
  Outcome o;
  switch (result.kind) {
    case Result::Kind::response: {
      const Response& r = result.response;
      if (success.contains(r.status)) {
        o.status = FERRY_OK;
        return o;
      }
      if (retry.contains(r.status)) {
        o.status = FERRY_RETRY;
        o.error = status_text(r);
        if (const auto ra = r.header("retry-after")) {
          o.retry_after_s = parse_retry_after(*ra, now);
          o.error += o.retry_after_s ? " (Retry-After: " + std::to_string(*o.retry_after_s) + " s)"
                                     : " (unreadable Retry-After: " + excerpt(*ra, 64) + ")";
        }
        return o;
      }
      o.status = FERRY_ERROR;
      o.error = status_text(r);
      if (!r.body.empty()) o.error += ": " + excerpt(r.body, 200);
      return o;
    }
    case Result::Kind::timed_out: o.status = FERRY_RETRY; o.error = "timed out: " + result.error; return o;
    case Result::Kind::failed: o.status = FERRY_RETRY; o.error = result.error; return o;
    case Result::Kind::cancelled: o.status = FERRY_RETRY; o.error = "destination stopping"; return o;
    case Result::Kind::invalid: o.status = FERRY_ERROR; o.error = "cannot send: " + result.error; return o;
  }
  return o;
}

}  // namespace ferry::http
