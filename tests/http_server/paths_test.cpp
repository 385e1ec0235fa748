#include <ferry/http/server/paths.hpp>

#include <catch2/catch.hpp>

using namespace ferry::http::server;

TEST_CASE("exact paths match only themselves") {
  PathSet p({"/in", "/fhir/Patient"});
  CHECK(p.matches("/in"));
  CHECK(p.matches("/fhir/Patient"));
  CHECK_FALSE(p.matches("/in/"));
  CHECK_FALSE(p.matches("/IN"));
  CHECK_FALSE(p.matches("/fhir/Patient/1"));
  CHECK_FALSE(p.matches(""));
  CHECK_FALSE(p.matches("/%69n"));  // no percent-decoding
}

TEST_CASE("prefix paths match what is below them") {
  PathSet p({"/fhir/*"});
  CHECK(p.matches("/fhir/Patient"));
  CHECK(p.matches("/fhir/Patient/1/_history"));
  CHECK_FALSE(p.matches("/fhir"));
  CHECK_FALSE(p.matches("/fhir/"));
  CHECK_FALSE(p.matches("/fhirx/a"));
  PathSet all({"/*"});
  CHECK(all.matches("/"));
  CHECK(all.matches("/anything/at/all"));
}

TEST_CASE("bad path patterns are refused with the pattern named") {
  CHECK_THROWS_WITH(PathSet({"in"}), Catch::Contains("\"in\" must start with /"));
  CHECK_THROWS_WITH(PathSet({"/a*"}), Catch::Contains("'*' is allowed only as the last segment"));
  CHECK_THROWS_WITH(PathSet({"/a/*/b"}), Catch::Contains("'*'"));
  CHECK_THROWS_WITH(PathSet({"/a b"}), Catch::Contains("space"));
  CHECK_THROWS_WITH(PathSet({"/a?x=1"}), Catch::Contains("'?'"));
  CHECK_THROWS(PathSet(std::vector<std::string>{}));
}

TEST_CASE("request targets split into path and query") {
  auto t = split_target("/in?a=1&b=2");
  CHECK(t.path == "/in");
  CHECK(t.query == "a=1&b=2");
  t = split_target("/in");
  CHECK(t.path == "/in");
  CHECK(t.query.empty());
  t = split_target("/in?");
  CHECK(t.query.empty());
  t = split_target("http://example.org:8080/fhir/Patient?x=1");
  CHECK(t.path == "/fhir/Patient");
  CHECK(t.query == "x=1");
  t = split_target("https://example.org");
  CHECK(t.path == "/");
  t = split_target("https://example.org?q");
  CHECK(t.path == "/");
  CHECK(t.query == "q");
  t = split_target("/a#frag");
  CHECK(t.path == "/a");
  t = split_target("*");
  CHECK(t.path == "*");
}

TEST_CASE("method names") {
  CHECK(valid_method("POST"));
  CHECK(valid_method("M-SEARCH"));
  CHECK_FALSE(valid_method("post"));
  CHECK_FALSE(valid_method(""));
  CHECK_FALSE(valid_method("PO ST"));
}
