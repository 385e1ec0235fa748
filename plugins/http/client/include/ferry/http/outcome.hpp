// What an HTTP result means for a delivery: sent, retry later or failed.
// Shared by http.sender and webhook.sender so both judge answers alike.
#pragma once

#include <ferry/http/client.hpp>
#include <ferry/plugin.h>

#include <ctime>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ferry::http {

// A set of status codes written as "200", "2xx" or "500-504".
class StatusCodes {
 public:
  // Throws std::invalid_argument naming `key` and the bad entry.
  static StatusCodes parse(const std::vector<std::string>& entries, std::string_view key);
  bool contains(long status) const;

 private:
  std::vector<std::pair<long, long>> ranges_;
};

// A Retry-After value in seconds from `now`: delta-seconds ("120") or an
// HTTP date. nullopt if unreadable; a date in the past gives 0.
std::optional<int64_t> parse_retry_after(std::string_view value, std::time_t now);

struct Outcome {
  ferry_status_t status = FERRY_ERROR;
  std::string error;                     // "" when sent
  std::optional<int64_t> retry_after_s;  // the server asked to wait this long
};

// success: statuses that mean sent; retry: statuses worth trying again
// (honouring Retry-After); any other status fails the delivery. Transport
// failures and timeouts retry; an unusable request (bad URL) fails.
Outcome judge(const Result& result, const StatusCodes& success, const StatusCodes& retry, std::time_t now);

}  // namespace ferry::http
