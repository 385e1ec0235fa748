// How HTTP answers become delivery outcomes (plugins/http/client/outcome).
#include <catch2/catch.hpp>

#include <ferry/http/outcome.hpp>

using ferry::http::Result;
using ferry::http::StatusCodes;

namespace {

Result answer(long status, std::string body = {}, ferry::http::Headers headers = {}) {
  Result r;
  r.kind = Result::Kind::response;
  r.response.status = status;
  r.response.reason = status == 200 ? "OK" : status == 400 ? "Bad Request" : "";
  r.response.body = std::move(body);
  r.response.headers = std::move(headers);
  return r;
}

const StatusCodes success = StatusCodes::parse({"2xx"}, "success_codes");
const StatusCodes retry = StatusCodes::parse({"408", "429", "5xx"}, "retry_codes");

}  // namespace

TEST_CASE("status code sets", "[http][outcome]") {
  const auto s = StatusCodes::parse({"2xx", "304", "400-404"}, "k");
  CHECK(s.contains(200));
  CHECK(s.contains(299));
  CHECK_FALSE(s.contains(300));
  CHECK(s.contains(304));
  CHECK(s.contains(402));
  CHECK_FALSE(s.contains(405));
  CHECK_THROWS_WITH(StatusCodes::parse({"2x"}, "success_codes"), Catch::Contains("success_codes: \"2x\""));
  CHECK_THROWS(StatusCodes::parse({"600"}, "k"));
  CHECK_THROWS(StatusCodes::parse({"404-400"}, "k"));
  CHECK_THROWS(StatusCodes::parse({"6xx"}, "k"));
  CHECK_THROWS(StatusCodes::parse({""}, "k"));
}

TEST_CASE("Retry-After as seconds or HTTP date", "[http][outcome]") {
  const std::time_t now = 1445412480;  // Wed, 21 Oct 2015 07:28:00 GMT
  CHECK(ferry::http::parse_retry_after("120", now) == 120);
  CHECK(ferry::http::parse_retry_after(" 0 ", now) == 0);
  CHECK(ferry::http::parse_retry_after("Wed, 21 Oct 2015 07:29:00 GMT", now) == 60);
  CHECK(ferry::http::parse_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now) == 0);
  CHECK_FALSE(ferry::http::parse_retry_after("soon", now));
  CHECK_FALSE(ferry::http::parse_retry_after("", now));
  CHECK_FALSE(ferry::http::parse_retry_after("-5", now));
  CHECK_FALSE(ferry::http::parse_retry_after("99999999999999999999", now));
}

TEST_CASE("answers become sent retry or failed", "[http][outcome]") {
  CHECK(judge(answer(200), success, retry, 0).status == FERRY_OK);
  CHECK(judge(answer(204), success, retry, 0).error.empty());

  const auto bad = judge(answer(400, "missing field\nname"), success, retry, 0);
  CHECK(bad.status == FERRY_ERROR);
  CHECK(bad.error == "HTTP 400 Bad Request: missing field name");
  CHECK(judge(answer(404), success, retry, 0).status == FERRY_ERROR);
  CHECK(judge(answer(301), success, retry, 0).status == FERRY_ERROR);

  const auto busy = judge(answer(429, "", {{"retry-after", "30"}}), success, retry, 0);
  CHECK(busy.status == FERRY_RETRY);
  CHECK(busy.retry_after_s == 30);
  CHECK(busy.error == "HTTP 429 (Retry-After: 30 s)");
  const auto odd = judge(answer(503, "", {{"retry-after", "later"}}), success, retry, 0);
  CHECK(odd.status == FERRY_RETRY);
  CHECK_FALSE(odd.retry_after_s);
  CHECK(odd.error.find("unreadable Retry-After: later") != std::string::npos);
  CHECK(judge(answer(500), success, retry, 0).status == FERRY_RETRY);
  CHECK(judge(answer(408), success, retry, 0).status == FERRY_RETRY);
  // A Retry-After on a failing status does not turn it into a retry.
  CHECK(judge(answer(400, "", {{"retry-after", "5"}}), success, retry, 0).status == FERRY_ERROR);

  Result down;
  down.kind = Result::Kind::failed;
  down.error = "Failed to connect";
  CHECK(judge(down, success, retry, 0).status == FERRY_RETRY);
  Result slow;
  slow.kind = Result::Kind::timed_out;
  slow.error = "Operation timed out after 100 milliseconds";
  CHECK(judge(slow, success, retry, 0).error.rfind("timed out: ", 0) == 0);
  Result invalid;
  invalid.kind = Result::Kind::invalid;
  invalid.error = "URL rejected: Bad hostname";
  CHECK(judge(invalid, success, retry, 0).status == FERRY_ERROR);
  Result stopped;
  stopped.kind = Result::Kind::cancelled;
  CHECK(judge(stopped, success, retry, 0).status == FERRY_RETRY);
}

TEST_CASE("custom success and retry codes", "[http][outcome]") {
  const auto ok404 = StatusCodes::parse({"2xx", "404"}, "success_codes");
  const auto none = StatusCodes::parse({}, "retry_codes");
  CHECK(judge(answer(404), ok404, retry, 0).status == FERRY_OK);
  CHECK(judge(answer(503), ok404, none, 0).status == FERRY_ERROR);
}
