#include <ferry/http/server/auth.hpp>

#include <catch2/catch.hpp>

using namespace ferry::http::server;

TEST_CASE("Authorization headers split into scheme and credentials") {
  auto c = parse_authorization("Basic dXNlcjpwYXNz");
  REQUIRE(c);
  CHECK(c->scheme == "Basic");
  CHECK(c->credentials == "dXNlcjpwYXNz");
  c = parse_authorization("  Bearer \t abc.def  ");
  REQUIRE(c);
  CHECK(c->scheme == "Bearer");
  CHECK(c->credentials == "abc.def");
  c = parse_authorization("Negotiate");
  REQUIRE(c);
  CHECK(c->credentials.empty());
  CHECK_FALSE(parse_authorization(""));
  CHECK_FALSE(parse_authorization("   "));
}

TEST_CASE("base64 decodes standard text with or without padding") {
  CHECK(decode_base64("dXNlcjpwYXNz") == std::optional<std::string>("user:pass"));
  CHECK(decode_base64("YQ==") == std::optional<std::string>("a"));
  CHECK(decode_base64("YQ") == std::optional<std::string>("a"));
  CHECK(decode_base64("YWI=") == std::optional<std::string>("ab"));
  CHECK(decode_base64("") == std::optional<std::string>(""));
  CHECK_FALSE(decode_base64("Y"));          // one char cannot carry a byte
  CHECK_FALSE(decode_base64("dXNl cjpw"));  // whitespace
  CHECK_FALSE(decode_base64("dXNl*cjpw"));
  CHECK_FALSE(decode_base64("dXNl-cjp"));  // url-safe alphabet is not Basic's
}

TEST_CASE("secrets compare by content only") {
  CHECK(secrets_equal("s3cret", "s3cret"));
  CHECK_FALSE(secrets_equal("s3cret", "s3creT"));
  CHECK_FALSE(secrets_equal("s3cret", "s3cret "));
  CHECK_FALSE(secrets_equal("", "x"));
  CHECK(secrets_equal("", ""));
}

TEST_CASE("Basic authentication") {
  AuthSettings s;
  s.mode = AuthMode::basic;
  s.username = "ferry";
  s.password = "pa:ss word";
  CHECK(authorize(s, "Basic ZmVycnk6cGE6c3Mgd29yZA==").ok);  // ferry:pa:ss word
  CHECK(authorize(s, "basic ZmVycnk6cGE6c3Mgd29yZA==").ok);  // scheme is case-insensitive
  auto r = authorize(s, std::nullopt);
  CHECK_FALSE(r.ok);
  CHECK(r.reason == "no Authorization header");
  r = authorize(s, "Basic ZmVycnk6d3Jvbmc=");  // ferry:wrong
  CHECK_FALSE(r.ok);
  CHECK(r.reason == "wrong user name or password");
  CHECK(r.reason.find("pa:ss") == std::string::npos);
  CHECK_FALSE(authorize(s, "Basic !!!").ok);
  CHECK(authorize(s, "Basic Zm9v").reason == "Basic credentials have no ':'");  // foo
  CHECK(authorize(s, "Bearer ZmVycnk6cGE6c3Mgd29yZA==").reason == "Authorization scheme is not Basic");
  CHECK(challenge(s) == "Basic realm=\"ferry\", charset=\"UTF-8\"");
}

TEST_CASE("Bearer authentication") {
  AuthSettings s;
  s.mode = AuthMode::bearer;
  s.token = "t0ken";
  CHECK(authorize(s, "Bearer t0ken").ok);
  CHECK(authorize(s, "BEARER   t0ken ").ok);
  CHECK_FALSE(authorize(s, "Bearer t0ke").ok);
  CHECK_FALSE(authorize(s, "Bearer").ok);
  CHECK_FALSE(authorize(s, "Basic t0ken").ok);
  CHECK(challenge(s) == "Bearer realm=\"ferry\"");
}

TEST_CASE("no authentication lets everyone in") {
  AuthSettings s;
  CHECK(authorize(s, std::nullopt).ok);
  CHECK(authorize(s, "Basic garbage").ok);
}
