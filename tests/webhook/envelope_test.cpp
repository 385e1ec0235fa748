// The webhook envelope and event id (plugins/webhook/envelope).
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "envelope.hpp"
#include "signature.hpp"

namespace {

webhook::EnvelopeInput input(std::string content_type, std::string_view content) {
  webhook::EnvelopeInput in;
  in.id = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
  in.event = "adt";
  in.channel = "lab";
  in.timestamp = "2026-11-26T04:56:39.123Z";
  in.message_id = 42;
  in.content_type = std::move(content_type);
  in.content = content;
  return in;
}

}  // namespace

TEST_CASE("envelope fields in order with JSON data", "[webhook][envelope]") {
  const std::string body = webhook::envelope_json(input("application/fhir+json", R"({"resourceType":"Patient","id":"p1"})"));
  CHECK(body ==
        R"({"id":"0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0","event":"adt","channel":"lab",)"
        R"("timestamp":"2026-11-26T04:56:39.123Z","message_id":42,"content_type":"application/fhir+json",)"
        R"("data":{"resourceType":"Patient","id":"p1"}})");
}

TEST_CASE("envelope with HL7 as HL7 JSON or as text", "[webhook][envelope]") {
  const std::string hl7 = "MSH|^~\\&|A|B|C|D|20261126||ADT^A01|C1|P|2.5\rPID|1||MRN7^^^H||DOE^JANE\r";
  auto in = input("application/hl7-v2", hl7);
  const auto j = nlohmann::json::parse(webhook::envelope_json(in));
  CHECK(j["data"]["segments"][1]["name"] == "PID");
  CHECK(j["data"]["segments"][1]["fields"][2][0][0] == "MRN7");
  in.hl7_as_json = false;
  CHECK(nlohmann::json::parse(webhook::envelope_json(in))["data"] == hl7);
  // Recognised by its start when the content type says nothing.
  in = input("text/plain", hl7);
  CHECK(nlohmann::json::parse(webhook::envelope_json(in))["data"].is_object());
  // Not parsable as HL7: text.
  in = input("application/hl7-v2", "MSH");
  CHECK(nlohmann::json::parse(webhook::envelope_json(in))["data"] == "MSH");
}

TEST_CASE("envelope text binary and metadata", "[webhook][envelope]") {
  auto in = input("application/json", "{not json");
  CHECK(nlohmann::json::parse(webhook::envelope_json(in))["data"] == "{not json");
  const std::string binary("\xff\x00\x01", 3);
  in = input("application/octet-stream", binary);
  const auto j = nlohmann::json::parse(webhook::envelope_json(in));
  CHECK(j["data"] == "/wAB");
  CHECK(j["data_encoding"] == "base64");
  CHECK(j.find("metadata") == j.end());
  in = input("text/plain", "caf\xc3\xa9");
  in.include_metadata = true;
  in.metadata = {{"site", "north"}, {"bad", "\xc3"}};
  const auto k = nlohmann::json::parse(webhook::envelope_json(in));
  CHECK(k["data"] == "caf\xc3\xa9");
  CHECK(k.find("data_encoding") == k.end());
  CHECK(k["metadata"]["site"] == "north");
  CHECK(k["metadata"]["bad"] == "\xef\xbf\xbd");  // U+FFFD
  // Overlong and surrogate encodings are not UTF-8.
  for (const char* bad : {"\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "abc\xe2\x82"}) {
    in = input("text/plain", bad);
    CHECK(nlohmann::json::parse(webhook::envelope_json(in))["data_encoding"] == "base64");
  }
}

TEST_CASE("event id is stable and depends on every input", "[webhook][envelope]") {
  const std::string a = webhook::event_id("s", "lab", "destination out", 7, "MSH|x");
  CHECK(a == webhook::event_id("s", "lab", "destination out", 7, "MSH|x"));
  CHECK(a.size() == 36);
  CHECK(a[8] == '-');
  CHECK(a[13] == '-');
  CHECK(a[18] == '-');
  CHECK(a[23] == '-');
  // HMAC-SHA256("s", "lab\0destination out\0" "7\0MSH|x"), first 16 bytes.
  const std::string input = std::string("lab") + '\0' + "destination out" + '\0' + "7" + '\0' + "MSH|x";
  const std::string hex = webhook::to_hex(webhook::hmac_sha256("s", input));
  CHECK(a == hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" + hex.substr(16, 4) + "-" +
                 hex.substr(20, 12));
  CHECK(a != webhook::event_id("t", "lab", "destination out", 7, "MSH|x"));
  CHECK(a != webhook::event_id("s", "lab2", "destination out", 7, "MSH|x"));
  CHECK(a != webhook::event_id("s", "lab", "destination b", 7, "MSH|x"));
  CHECK(a != webhook::event_id("s", "lab", "destination out", 8, "MSH|x"));
  CHECK(a != webhook::event_id("s", "lab", "destination out", 7, "MSH|y"));
}
