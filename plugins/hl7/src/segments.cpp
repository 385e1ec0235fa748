#include "segments.hpp"

#include <string>

namespace ferry::hl7plugin {

size_t remove_segments(hl7::Message& m, const RulePath& p) {
  const std::string& name = p.path.segment;
  if (p.every_occurrence) {
    size_t removed = 0;
    for (size_t i = m.segment_count(); i-- > 1;) {
      if (m.segment_name(i) == name) {
        m.remove_segment(i);
        ++removed;
      }
    }
    return removed;
  }
  size_t seen = 0;
  for (size_t i = 1; i < m.segment_count(); ++i) {
    if (m.segment_name(i) == name && ++seen == p.path.occurrence) {
      m.remove_segment(i);
      return 1;
    }
  }
  return 0;
}

}  // namespace ferry::hl7plugin
