// Values the library generates for ACKs.
#pragma once

#include <string>

namespace ferry::hl7::detail {

// A new MSH-10: 20 characters (the v2.3 length of the field), unique within
// the process and, with overwhelming probability, across processes.
std::string new_control_id();

// Local time as HL7 DTM to the second: YYYYMMDDHHMMSS.
std::string timestamp_now();

}  // namespace ferry::hl7::detail
