// libFuzzer target for the HL7 library: any bytes go through parse,
// serialize, to_json/from_json, get/set/clear, split_messages, the ACK
// functions and Path::parse. Besides "no crash, no hang, no sanitizer
// report" it checks the library's promises and aborts when one breaks:
// - a parsed message serializes byte-identical to the input;
// - JSON round trips keep every value, and re-parse;
// - get() after set() returns what was set, also after re-parsing;
// - ACKs and rejects always parse and read back with their code.
// Built by fuzz_smoke.sh and by CMake with -DFERRY_FUZZ=ON (clang); the
// same checks run on the seed corpora in every build (fuzz_replay_main.cpp).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "ferry/hl7/ack.hpp"
#include "ferry/hl7/message.hpp"

using namespace ferry::hl7;

namespace {

#define FUZZ_CHECK(cond)                                                               \
  do {                                                                                 \
    if (!(cond)) {                                                                     \
      std::fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                    \
    }                                                                                  \
  } while (0)

// A value made from input bytes that set() must accept in any charset:
// printable ASCII plus every delimiter-ish character and line breaks.
std::string value_from(std::string_view bytes) {
  static constexpr std::string_view extra = "|^~\\&#@$!%\r\n\"";
  std::string v;
  for (const char c : bytes.substr(0, 32)) {
    const auto u = static_cast<unsigned char>(c);
    v += u % 3 == 0 ? extra[u % extra.size()] : static_cast<char>(0x20 + u % 0x5F);
  }
  return v;
}

void check_acks(const Message& m) {
  const struct {
    AckOutcome outcome;
    char letter;
  } outcomes[] = {{AckOutcome::accept, 'A'}, {AckOutcome::error, 'E'}, {AckOutcome::reject, 'R'}};
  for (const auto& o : outcomes) {
    AckOptions options;
    options.text = "because|of^this\r";
    const std::string ack = make_ack(m, o.outcome, options);
    const auto parsed = Message::parse(ack);  // throws (and so fails) if not
    FUZZ_CHECK(parsed.delimiters().field == m.delimiters().field);
    const auto info = read_ack(ack);
    FUZZ_CHECK(info.has_value());
    FUZZ_CHECK(info->code.size() == 2 && info->code[1] == o.letter);
  }
}

void check_edits(Message m, std::string_view data) {
  const std::string value = value_from(data);
  for (const char* path : {"PID-3[2].1.2", "MSH-10", "ZZZ[2]-5.3", "OBX-5", "MSH-21[2].1"}) {
    m.set(path, value);
    FUZZ_CHECK(m.get(path) == value);
    const auto again = Message::parse(m.serialize());
    FUZZ_CHECK(again.get(path) == value);
  }
  m.clear("PID-3[2].1.2");
  FUZZ_CHECK(m.get("PID-3[2].1.2").value_or("").empty());
  m.insert_segment(std::string("NTE") + m.delimiters().field + "1", 1);
  m.remove_segment(m.segment_count() - 1);
  (void)Message::parse(m.serialize());
}

void check_message(std::string_view data) {
  std::optional<Message> parsed;
  try {
    parsed = Message::parse(data);
  } catch (const ParseError& e) {
    FUZZ_CHECK(e.offset <= data.size());
    return;
  }
  const Message& m = *parsed;
  FUZZ_CHECK(m.serialize() == data);
  for (size_t i = 0; i < m.segment_count(); ++i) FUZZ_CHECK(m.segment_text(i).substr(0, 3) == m.segment_name(i));
  (void)m.control_id();
  (void)m.message_type();
  (void)m.version();
  for (const char* path : {"MSH-1", "MSH-2", "MSH-9.2", "PID-3[2].1.2", "OBX[3]-5", "PID", "ZZZ-1.1.1"}) {
    (void)m.get(path);
  }

  const nlohmann::json j = m.to_json();
  (void)j.dump();  // throws on invalid UTF-8: values must always be valid
  const Message back = Message::from_json(j);
  FUZZ_CHECK(back.to_json() == j);
  FUZZ_CHECK(Message::parse(back.serialize()).to_json() == j);

  check_acks(m);
  check_edits(m, data);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  const std::string_view data(reinterpret_cast<const char*>(bytes), size);

  try {
    (void)Path::parse(data.substr(0, 64));
  } catch (const std::invalid_argument&) {
  }

  try {
    const auto messages = split_messages(data);
    FUZZ_CHECK(!messages.empty());
    for (const auto& piece : messages) check_message(piece);
  } catch (const ParseError& e) {
    FUZZ_CHECK(e.offset <= data.size());
  }
  check_message(data);

  const std::string reject = make_reject_for_unparsable(data, data.substr(0, 80));
  const auto info = read_ack(reject);
  FUZZ_CHECK(info.has_value());
  FUZZ_CHECK(info->code == "AR" || info->code == "CR");
  (void)read_ack(data);
  return 0;
}
