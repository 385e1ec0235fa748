// HL7 acknowledgements.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "ferry/hl7/message.hpp"

namespace ferry::hl7 {

enum class AckOutcome {
  accept,  // AA, or CA in enhanced mode
  error,   // AE / CE: the receiver could not process it (retry may help)
  reject,  // AR / CR: the message is unacceptable
};

struct AckOptions {
  std::string text;                  // MSA-3 and, on v2.5+ for errors, ERR
  std::string sending_application;   // optional override of the ACK's MSH-3
  std::string sending_facility;      // optional override of the ACK's MSH-4
  std::string control_id;            // the ACK's own MSH-10 (generated if empty)
};

// An ACK for `original`: sender/receiver swapped, MSH-9 ACK^<trigger>^ACK,
// MSA-1 AA/AE/AR (original mode) or CA/CE/CR (enhanced mode, from MSH-15/16),
// MSA-2 = original MSH-10, ERR with the reason for errors on v2.5+. Same
// delimiters and version as the original. Segments end with CR. The bytes
// are in the original's character set (MSH-18 is copied).
std::string make_ack(const Message& original, AckOutcome outcome, const AckOptions& options = {});

// A best-effort AR for input that could not be parsed: uses whatever MSH
// fields can be found in raw (delimiters, control id, version), else defaults.
std::string make_reject_for_unparsable(std::string_view raw, std::string_view reason);

// Read an ACK: MSA-1 and MSA-2 (and MSA-3 text). nullopt if not an ACK.
struct AckInfo {
  std::string code;        // AA, AE, AR, CA, CE, CR
  std::string control_id;  // MSA-2
  std::string text;        // MSA-3 or ERR text
};
std::optional<AckInfo> read_ack(std::string_view bytes);

}  // namespace ferry::hl7
