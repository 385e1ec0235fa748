// ACKs: make_ack in original and enhanced mode on v2.3 and v2.5,
// make_reject_for_unparsable, read_ack.
#include <catch2/catch.hpp>

#include <vector>

#include <regex>
#include <set>

#include "ferry/hl7/ack.hpp"

using namespace ferry::hl7;

namespace {

std::string original(const std::string& version, const std::string& msh15_16 = "") {
  return "MSH|^~\\&|LAB|HOSP|EHR|CLINIC|20261126120000||ORU^R01^ORU_R01|MSG00042|P|" + version + msh15_16 +
         "\rPID|1||123\r";
}

Message ack_for(const std::string& text, AckOutcome outcome, const AckOptions& options = {}) {
  const std::string ack = make_ack(Message::parse(text), outcome, options);
  CHECK(ack.back() == '\r');
  CHECK(ack.find('\n') == std::string::npos);
  return Message::parse(ack);
}

}  // namespace

TEST_CASE("an AA swaps sender and receiver and echoes the control id") {
  for (const std::string& version : std::vector<std::string>{"2.3", "2.5"}) {
    const auto ack = ack_for(original(version), AckOutcome::accept);
    CHECK(ack.get("MSH-3") == "EHR");
    CHECK(ack.get("MSH-4") == "CLINIC");
    CHECK(ack.get("MSH-5") == "LAB");
    CHECK(ack.get("MSH-6") == "HOSP");
    CHECK(std::regex_match(*ack.get("MSH-7"), std::regex("20[0-9]{12}")));
    CHECK(ack.get("MSH-9") == "ACK^R01^ACK");
    CHECK(ack.message_type() == "ACK^R01");
    CHECK(ack.control_id().size() == 20);
    CHECK(ack.control_id() != "MSG00042");
    CHECK(ack.get("MSH-11") == "P");
    CHECK(ack.get("MSH-12") == version);
    CHECK(ack.get("MSH-15") == std::nullopt);
    CHECK(ack.get("MSH-16") == std::nullopt);
    CHECK(ack.get("MSA-1") == "AA");
    CHECK(ack.get("MSA-2") == "MSG00042");
    CHECK(ack.get("MSA-3") == std::nullopt);
    CHECK(ack.get("ERR") == std::nullopt);
    CHECK(ack.segment_count() == 2);
  }
}

TEST_CASE("AE and AR on v2.5 carry an ERR segment") {
  for (const auto& [outcome, code] : {std::pair{AckOutcome::error, "AE"}, std::pair{AckOutcome::reject, "AR"}}) {
    AckOptions options;
    options.text = "Patient 123|x not found";
    const std::string text = make_ack(Message::parse(original("2.5")), outcome, options);
    const auto ack = Message::parse(text);
    CHECK(ack.get("MSA-1") == code);
    CHECK(ack.get("MSA-2") == "MSG00042");
    CHECK(ack.get("MSA-3") == "Patient 123|x not found");
    REQUIRE(ack.segment_count() == 3);
    CHECK(ack.segment_text(2) == "ERR|||207^Application internal error^HL70357|E||||Patient 123\\F\\x not found");
    CHECK(ack.get("ERR-3") == "207^Application internal error^HL70357");
    CHECK(ack.get("ERR-4") == "E");
    CHECK(ack.get("ERR-8") == "Patient 123|x not found");
  }
}

TEST_CASE("AE and AR before v2.5 carry the text in MSA-3 only") {
  for (const std::string& version : std::vector<std::string>{"2.3", "2.4", "2.3.1", ""}) {
    AckOptions options;
    options.text = "bad^thing";
    const auto ack = ack_for(original(version), AckOutcome::error, options);
    CHECK(ack.get("MSA-1") == "AE");
    CHECK(ack.segment_text(1) == "MSA|AE|MSG00042|bad\\S\\thing");
    CHECK(ack.get("MSA-3") == "bad^thing");
    CHECK(ack.get("ERR") == std::nullopt);
    CHECK(ack_for(original(version), AckOutcome::reject, options).get("MSA-1") == "AR");
  }
  for (const std::string& version : std::vector<std::string>{"2.5.1", "2.6", "2.7", "2.8", "2.9", "2.5^USA"}) {
    CAPTURE(version);
    CHECK(ack_for(original(version), AckOutcome::error).get("ERR-4") == "E");
  }
}

TEST_CASE("enhanced mode answers CA CE and CR") {
  for (const std::string& version : std::vector<std::string>{"2.3", "2.5"}) {
    for (const std::string& modes : std::vector<std::string>{"|||AL|NE", "|||AL", "||||AL", "|||NE|NE"}) {
      CAPTURE(version, modes);
      const auto ca = ack_for(original(version, modes), AckOutcome::accept);
      CHECK(ca.get("MSA-1") == "CA");
      CHECK(ca.get("MSA-2") == "MSG00042");
      CHECK(ca.get("MSH-15") == std::nullopt);
      CHECK(ca.get("MSH-16") == std::nullopt);
      CHECK(ack_for(original(version, modes), AckOutcome::error).get("MSA-1") == "CE");
      CHECK(ack_for(original(version, modes), AckOutcome::reject).get("MSA-1") == "CR");
    }
  }
  CHECK(ack_for(original("2.5", "|||\"\"|\"\""), AckOutcome::accept).get("MSA-1") == "AA");
  AckOptions options;
  options.text = "later";
  const auto ce = ack_for(original("2.5", "|||AL|AL"), AckOutcome::error, options);
  CHECK(ce.get("MSA-1") == "CE");
  CHECK(ce.get("ERR-8") == "later");
}

TEST_CASE("ACK options override MSH-3 MSH-4 and MSH-10") {
  AckOptions options;
  options.sending_application = "FERRY";
  options.sending_facility = "NODE^1";
  options.control_id = "ACK0001";
  const auto ack = ack_for(original("2.5"), AckOutcome::accept, options);
  CHECK(ack.get("MSH-3") == "FERRY");
  CHECK(ack.get("MSH-4") == "NODE^1");
  CHECK(ack.segment_text(0).find("|FERRY|NODE\\S\\1|LAB|HOSP|") != std::string::npos);
  CHECK(ack.control_id() == "ACK0001");
}

TEST_CASE("generated control ids are unique") {
  std::set<std::string> ids;
  const auto m = Message::parse(original("2.5"));
  for (int i = 0; i < 1000; ++i) ids.insert(Message::parse(make_ack(m, AckOutcome::accept)).control_id());
  CHECK(ids.size() == 1000);
}

TEST_CASE("the ACK uses the original's delimiters and charset") {
  const std::string text =
      "MSH#@$!%#LAB#HOSP@1.2@ISO#EHR#CLINIC#20261126##ADT@A04#X9#P#2.5######8859/1\rPID#1\r";
  AckOptions options;
  options.text = "M\xC3\xBCller#1 \xE2\x82\xAC";
  const std::string bytes = make_ack(Message::parse(text), AckOutcome::reject, options);
  CHECK(bytes.rfind("MSH#@$!%#EHR#CLINIC#LAB#HOSP@1.2@ISO#", 0) == 0);
  CHECK(bytes.find("M\xFCller!F!1 ?") != std::string::npos);  // ISO-8859-1 bytes, € has none
  const auto ack = Message::parse(bytes);
  CHECK(ack.get("MSH-9") == "ACK@A04@ACK");
  CHECK(ack.get("MSH-18") == "8859/1");
  CHECK(ack.get("MSA-1") == "AR");
  CHECK(ack.get("MSA-2") == "X9");
  CHECK(ack.get("ERR-3.1") == "207");
  CHECK(ack.get("ERR-8") == "M\xC3\xBCller#1 ?");
}

TEST_CASE("an ACK for a message without the usual fields still parses") {
  const auto ack = ack_for("MSH|^~\\&", AckOutcome::accept);
  CHECK(ack.get("MSH-9") == "ACK^^ACK");
  CHECK(ack.get("MSA-1") == "AA");
  CHECK(ack.get("MSA-2") == "");
}

TEST_CASE("text with line breaks and invalid UTF-8 cannot break the ACK") {
  AckOptions options;
  options.text = "line1\r\nMSH|x\xFF";
  const auto ack = ack_for(original("2.5"), AckOutcome::error, options);
  CHECK(ack.segment_count() == 3);
  CHECK(ack.get("MSA-3") == "line1\r\nMSH|x?");
}

TEST_CASE("a reject for unparsable input uses what it can find") {
  const std::string raw = "MSH|^~\\&|LAB|HOSP|EHR|CLINIC|20260101||ADT^A01|CTRL7|P|2.5\rPID|1\rbad segment\r";
  const std::string reason = "offset 58, segment 3: \"bad\" is not a segment name";
  const auto ack = Message::parse(make_reject_for_unparsable(raw, reason));
  CHECK(ack.get("MSH-3") == "EHR");
  CHECK(ack.get("MSH-5") == "LAB");
  CHECK(ack.get("MSH-9") == "ACK^A01^ACK");
  CHECK(ack.get("MSH-12") == "2.5");
  CHECK(ack.get("MSA-1") == "AR");
  CHECK(ack.get("MSA-2") == "CTRL7");
  CHECK(ack.get("MSA-3") == reason);
  CHECK(ack.get("ERR-8") == reason);

  const auto enhanced =
      Message::parse(make_reject_for_unparsable("MSH|^~\\&|A|B|C|D|||ADT^A01|9|P|2.3|||AL|NE\r\x01", "x"));
  CHECK(enhanced.get("MSA-1") == "CR");
  CHECK(enhanced.get("ERR") == std::nullopt);
  CHECK(enhanced.get("MSA-3") == "x");
}

TEST_CASE("a reject for unparsable input keeps alternate delimiters") {
  const auto ack = Message::parse(make_reject_for_unparsable("MSH#@$!%#A#B#C#D###ADT@A01#7#P#2.4\rPID##\xFF", "no"));
  CHECK(ack.delimiters().field == '#');
  CHECK(ack.delimiters().component == '@');
  CHECK(ack.get("MSA-2") == "7");
  CHECK(ack.get("MSH-9") == "ACK@A01@ACK");
}

TEST_CASE("a reject for garbage falls back to the defaults") {
  for (const std::string& raw : std::vector<std::string>{std::string(), std::string("garbage"), std::string("MSH"), std::string("MSHAB"),
                                std::string("MSH|^^^^|x|y"), std::string("\x0bMSH|^~\\&|A|B|C|D||||\xFF\x1c\r"),
                                std::string("MSH\r|^~\\&"), std::string(5000, '|')}) {
    CAPTURE(raw);
    const std::string bytes = make_reject_for_unparsable(raw, "why\r\n\xFF");
    const auto ack = Message::parse(bytes);
    CHECK(ack.get("MSA-1") == "AR");
    CHECK(ack.get("MSA-3") == "why???");
    const auto info = read_ack(bytes);
    REQUIRE(info);
    CHECK(info->code == "AR");
  }
}

TEST_CASE("read_ack reads MSA and the text") {
  AckOptions options;
  options.text = "nope";
  const auto info = read_ack(make_ack(Message::parse(original("2.5")), AckOutcome::error, options));
  REQUIRE(info);
  CHECK(info->code == "AE");
  CHECK(info->control_id == "MSG00042");
  CHECK(info->text == "nope");

  const auto aa = read_ack("MSH|^~\\&|A|B|C|D|20260101||ACK^A01|1|P|2.5\rMSA|AA|X1\r");
  REQUIRE(aa);
  CHECK(aa->code == "AA");
  CHECK(aa->control_id == "X1");
  CHECK(aa->text.empty());

  const auto err_only = read_ack("MSH|^~\\&\rMSA|AE|X2\rERR|||207^Internal^HL70357|E||||from ERR-8\r");
  REQUIRE(err_only);
  CHECK(err_only->text == "from ERR-8");
  const auto err_code = read_ack("MSH|^~\\&\rMSA|AR|X3\rERR|||207^Internal^HL70357|E\r");
  REQUIRE(err_code);
  CHECK(err_code->text == "Internal");
  const auto err_v24 = read_ack("MSH|^~\\&\rMSA|AR|X3\rERR|PID^1^3^101&Required field missing&HL70357\r");
  REQUIRE(err_v24);
  CHECK(err_v24->text == "Required field missing");
  const auto commit = read_ack("MSH|^~\\&\nMSA|CA|X4\n");
  REQUIRE(commit);
  CHECK(commit->code == "CA");
}

TEST_CASE("read_ack is nullopt for what is not an ACK") {
  CHECK_FALSE(read_ack(""));
  CHECK_FALSE(read_ack("garbage"));
  CHECK_FALSE(read_ack(original("2.5")));
  CHECK_FALSE(read_ack("MSH|^~\\&\rMSA|XX|1\r"));
  CHECK_FALSE(read_ack("MSH|^~\\&\rMSA\r"));
}
