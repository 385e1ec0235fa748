// The one validator used for host keys and component keys.
#include <catch2/catch.hpp>

#include "config/references.hpp"
#include "config/schema.hpp"
#include "test_support.hpp"

using ferry::config::Diagnostics;
using ferry::config::KeySpec;
using ferry::config::ValueType;
using ferry::test::all_errors;
using ferry::test::has_error;
using nlohmann::json;

namespace {

KeySpec key(const char* name, ValueType type) {
  KeySpec k;
  k.name = name;
  k.type = type;
  return k;
}

std::vector<KeySpec> listener_keys() {
  KeySpec host = key("host", ValueType::String);
  host.fallback = "127.0.0.1";
  KeySpec port = key("port", ValueType::Integer);
  port.required = true;
  port.min = 1;
  port.max = 65535;
  KeySpec mode = key("mode", ValueType::String);
  mode.allowed = {"a", "b"};
  mode.fallback = "a";
  KeySpec tags = key("tags", ValueType::StringList);
  tags.fallback = json::array();
  KeySpec tls = key("tls", ValueType::Boolean);
  tls.fallback = false;
  KeySpec password = key("password", ValueType::String);
  password.secret = true;
  password.fallback = "";
  return {host, port, mode, tags, tls, password};
}

}  // namespace

TEST_CASE("valid config gets its defaults filled") {
  Diagnostics d;
  json v = {{"port", 2575}};
  ferry::config::validate_object(v, listener_keys(), "/c", d);
  INFO(all_errors(d));
  REQUIRE(d.ok());
  CHECK(v["host"] == "127.0.0.1");
  CHECK(v["mode"] == "a");
  CHECK(v["tls"] == false);
  CHECK(v["tags"] == json::array());
}

TEST_CASE("every kind of error is reported - all at once - with its JSON path") {
  Diagnostics d;
  json v = {{"port", "abc"}, {"mode", "c"}, {"tags", {"x", 3}}, {"tls", "yes"}, {"colour", "red"}};
  ferry::config::validate_object(v, listener_keys(), "/channels/0/source/config", d);
  INFO(all_errors(d));
  CHECK(d.errors.size() == 5);
  CHECK(has_error(d, "/channels/0/source/config/port", "expected integer 1..65535, got \"abc\""));
  CHECK(has_error(d, "/channels/0/source/config/mode", "one of \"a\", \"b\""));
  CHECK(has_error(d, "/channels/0/source/config/tags/1", "expected list of strings item, got 3"));
  CHECK(has_error(d, "/channels/0/source/config/tls", "expected boolean"));
  CHECK(has_error(d, "/channels/0/source/config/colour", "unknown key (known keys: host, port"));
}

TEST_CASE("missing required keys and out-of-range values are errors") {
  Diagnostics d;
  json v = json::object();
  ferry::config::validate_object(v, listener_keys(), "/x", d);
  CHECK(has_error(d, "/x/port", "required key is missing"));
  Diagnostics d2;
  json w = {{"port", 70000}};
  ferry::config::validate_object(w, listener_keys(), "/x", d2);
  CHECK(has_error(d2, "/x/port", "expected integer 1..65535, got 70000"));
  Diagnostics d3;
  json z = {{"port", 1.5}};
  ferry::config::validate_object(z, listener_keys(), "/x", d3);
  CHECK(has_error(d3, "/x/port", "got 1.5"));
}

TEST_CASE("secret values are never echoed in errors") {
  Diagnostics d;
  json v = {{"port", 1}, {"password", 12345678}};
  ferry::config::validate_object(v, listener_keys(), "", d);
  REQUIRE(d.errors.size() == 1);
  CHECK(d.errors[0].message.find("12345678") == std::string::npos);
  CHECK(d.errors[0].message.find("<secret>") != std::string::npos);
}

TEST_CASE("JSON pointer tokens are escaped") {
  Diagnostics d;
  json v = {{"port", 1}, {"a/b~c", 1}};
  ferry::config::validate_object(v, listener_keys(), "", d);
  CHECK(has_error(d, "/a~1b~0c", "unknown key"));
}

TEST_CASE("references: ${env:..} and ${file:..} resolve - and coerce to integers") {
  ferry::test::TempDir dir;
  dir.write("secret.txt", "s3cr3t\n");
  ::setenv("FERRY_TEST_PORT", "2600", 1);
  ::setenv("FERRY_TEST_HOST", "10.1.2.3", 1);
  Diagnostics d;
  json v = {{"port", "${env:FERRY_TEST_PORT}"},
            {"host", "h-${env:FERRY_TEST_HOST}-x"},
            {"password", "${file:secret.txt}"},
            {"tags", {"$${literal}"}}};
  ferry::config::resolve_references(v, "", dir.path(), d);
  ferry::config::validate_object(v, listener_keys(), "", d);
  INFO(all_errors(d));
  REQUIRE(d.ok());
  CHECK(v["port"] == 2600);
  CHECK(v["host"] == "h-10.1.2.3-x");
  CHECK(v["password"] == "s3cr3t");
  CHECK(v["tags"][0] == "${literal}");
}

TEST_CASE("references: missing variables and files are reported by path") {
  ::unsetenv("FERRY_TEST_NOT_SET");
  ferry::test::TempDir dir;
  Diagnostics d;
  json v = {{"a", "${env:FERRY_TEST_NOT_SET}"}, {"b", {{"c", "${file:nope.txt}"}}}, {"e", "${env:X"}};
  ferry::config::resolve_references(v, "", dir.path(), d);
  INFO(all_errors(d));
  CHECK(d.errors.size() == 3);
  CHECK(has_error(d, "/a", "environment variable FERRY_TEST_NOT_SET is not set"));
  CHECK(has_error(d, "/b/c", "cannot read file"));
  CHECK(has_error(d, "/e", "unterminated reference"));
}

TEST_CASE("other ${...} templates are left for components") {
  ::setenv("FERRY_TEST_ID", "7", 1);
  Diagnostics d;
  json v = {{"name", "${message_id}-${meta:filename}.hl7"}, {"url", "https://x/Patient/${PID-3.1}?k=${env:FERRY_TEST_ID}"}};
  ferry::config::resolve_references(v, "", ".", d);
  INFO(all_errors(d));
  REQUIRE(d.ok());
  CHECK(v["name"] == "${message_id}-${meta:filename}.hl7");
  CHECK(v["url"] == "https://x/Patient/${PID-3.1}?k=7");
}

TEST_CASE("a reference that does not fit the type shows the reference - not the secret value") {
  ::setenv("FERRY_TEST_BAD_PORT", "not-a-port", 1);
  Diagnostics d;
  json v = {{"port", "${env:FERRY_TEST_BAD_PORT}"}};
  ferry::config::resolve_references(v, "", ".", d);
  ferry::config::validate_object(v, listener_keys(), "", d);
  REQUIRE(d.errors.size() == 1);
  CHECK(d.errors[0].message.find("${env:FERRY_TEST_BAD_PORT}") != std::string::npos);
  CHECK(d.errors[0].message.find("not-a-port") == std::string::npos);
}
