// Message templates (plugins/template) on real host messages.
#include <catch2/catch.hpp>

#include <ferry/template/template.hpp>

#include <regex>

#include "runtime/objects.hpp"

namespace {

using ferry::tmpl::Escape;
using ferry::tmpl::Template;

ferry::Message message(std::string_view content, std::string_view type = "text/plain") {
  ferry::detail::host_slot() = ferry::runtime::host_api();
  return ferry::Message::create(content, type);
}

std::string expand(std::string_view text, const ferry::Message& m, Escape how = Escape::none) {
  const ferry::tmpl::Context context(m, "adt-in");
  return Template(text).expand(context, how);
}

const char* const adt =
    "MSH|^~\\&|EPIC|HOSP|LAB|HOSP|202611260800||ADT^A01|CTRL42|P|2.5\r"
    "PID|1||12345^^^MRN~67890^^^SSN||DOE^JANE||19800101|F\r";

}  // namespace

TEST_CASE("templates expand HL7 paths and JSON pointers and metadata", "[template]") {
  const ferry::Message hl7 = message(adt, "application/hl7-v2");
  CHECK(expand("/Patient/${PID-3.1}", hl7) == "/Patient/12345");
  CHECK(expand("${PID-3[2].1}-${PID-5.2}-${MSH-10}", hl7) == "67890-JANE-CTRL42");
  CHECK(expand("${OBX-5:-none}", hl7) == "none");
  CHECK(expand("${/id}", hl7).empty());  // not JSON: missing

  const ferry::Message json = message(R"({"id": "p/1", "n": 7, "a": [{"b": null}], "o": {"x": true}})",
                                      "application/json");
  CHECK(expand("${/id}|${/n}|${/a/0/b}|${/o}", json) == "p/1|7||{\"x\":true}");
  CHECK(expand("${/missing:-dflt}", json) == "dflt");
  CHECK(expand("${PID-3.1}", json).empty());

  ferry::Message m = message("body");
  m.set_meta("control_id", "C1");
  CHECK(expand("${meta:control_id}/${meta:absent:-x}/${channel}/${content}/${content_type}", m) ==
        "C1/x/adt-in/body/text/plain");
  CHECK(expand("$${literal} and $", m) == "${literal} and $");
}

TEST_CASE("template time and identity placeholders have their documented shapes", "[template]") {
  const ferry::Message m = message("x");
  CHECK(std::regex_match(expand("${timestamp}", m), std::regex(R"(\d{8}T\d{6}\.\d{3}Z)")));
  CHECK(std::regex_match(expand("${iso_time}", m), std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)")));
  CHECK(std::regex_match(expand("${date}", m), std::regex(R"(\d{8})")));
  const std::string uuid = expand("${uuid}", m);
  CHECK(std::regex_match(uuid, std::regex(R"([0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12})")));
  CHECK(uuid != expand("${uuid}", m));
  CHECK(expand("${message_id}", m) == "0");
}

TEST_CASE("template escaping applies to values and never to the literal text", "[template]") {
  ferry::Message m = message("x");
  m.set_meta("v", "a b/c?d=é\r\nX-Evil: 1\"\\");
  CHECK(expand("/p/${meta:v}?q=1", m, Escape::url_component) ==
        "/p/a%20b%2Fc%3Fd%3D%C3%A9%0D%0AX-Evil%3A%201%22%5C?q=1");
  CHECK(expand("${meta:v}", m, Escape::header) == "a b/c?d=é  X-Evil: 1\"\\");
  CHECK(expand("{\"v\": \"${meta:v}\"}", m, Escape::json_string) == "{\"v\": \"a b/c?d=é\\r\\nX-Evil: 1\\\"\\\\\"}");
}

TEST_CASE("template errors name the setting and the placeholder", "[template]") {
  auto error_of = [](std::string_view text) {
    try {
      Template t(text, "url");
    } catch (const ferry::Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK_THAT(error_of("${nope}"), Catch::Contains("url") && Catch::Contains("unknown placeholder ${nope}"));
  CHECK_THAT(error_of("x ${PID-3"), Catch::Contains("unterminated"));
  CHECK_THAT(error_of("${PID-x}"), Catch::Contains("not a valid HL7 path"));
  CHECK_THAT(error_of("${/a~9}"), Catch::Contains("not a valid JSON pointer"));
  CHECK(Template("plain").is_literal());
  CHECK_FALSE(Template("${date}").is_literal());
}
