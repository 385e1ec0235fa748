// The content type a dry run gives input that does not state one.
#pragma once

#include <string>
#include <string_view>

namespace ferry::dryrun {

// "application/hl7-v2" for content starting with an MSH (or FHS/BHS batch)
// segment, "application/json" for a JSON object or array, else "text/plain".
std::string guess_content_type(std::string_view content);

}  // namespace ferry::dryrun
