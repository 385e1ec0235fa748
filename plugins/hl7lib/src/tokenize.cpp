#include "tokenize.hpp"

#include <string>

#include "quote.hpp"

namespace ferry::hl7::detail {

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (;;) {
    const size_t at = s.find(sep, start);
    if (at == std::string_view::npos) {
      out.push_back(s.substr(start));
      return out;
    }
    out.push_back(s.substr(start, at - start));
    start = at + 1;
  }
}

bool valid_segment_name(std::string_view name) {
  if (name.size() != 3) return false;
  if (name[0] < 'A' || name[0] > 'Z') return false;
  for (size_t i = 1; i < 3; ++i) {
    const char c = name[i];
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return false;
  }
  return true;
}

bool is_envelope_segment(std::string_view name) {
  return name == "MSH" || name == "BHS" || name == "BTS" || name == "FHS" || name == "FTS";
}

Fields::Fields(std::string_view text, bool header, char field_separator) : header_(header) {
  if (text.size() <= 3) return;
  if (header) {
    msh1_ = text.substr(3, 1);
    rest_ = split(text.substr(4), field_separator);
    count_ = 1 + rest_.size();
  } else {
    rest_ = split(text.substr(4), field_separator);
    count_ = rest_.size();
  }
}

std::string_view Fields::get(size_t number) const {
  if (number == 0 || number > count_) return {};
  if (header_) return number == 1 ? msh1_ : rest_[number - 2];
  return rest_[number - 1];
}

namespace {

[[noreturn]] void fail(size_t number, std::string_view text, size_t offset, const std::string& what) {
  const std::string name = valid_segment_name(text.substr(0, 3)) ? " (" + std::string(text.substr(0, 3)) + ")" : "";
  throw ParseError("offset " + std::to_string(offset) + ", segment " + std::to_string(number) + name + ": " + what,
                   offset);
}

}  // namespace

void check_segment(std::string_view text, size_t number, bool header, const Delimiters& d, const Limits& limits,
                   size_t offset) {
  if (text.size() < 3 || !valid_segment_name(text.substr(0, 3))) {
    fail(number, text, offset,
         quote(text.substr(0, 3)) + " is not a segment name (3 characters A-Z or 0-9, the first a letter)");
  }
  if (text.size() > 3 && text[3] != d.field) {
    fail(number, text, offset, "the segment name is not followed by the field separator");
  }
  if (!header && is_envelope_segment(text.substr(0, 3))) {
    fail(number, text, offset,
         "a message holds one MSH and no batch segments; split batches and concatenated messages with "
         "split_messages()");
  }
  size_t i = 3;
  size_t fields = 0;
  if (header) {
    // MSH-1 and MSH-2 are delimiters themselves, not data to count.
    i = text.find(d.field, 4);
    if (i == std::string_view::npos) return;
    fields = 2;
  }
  size_t reps = 1, comps = 1, subs = 1;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c == d.field) {
      if (++fields > limits.max_fields_per_segment) {
        fail(number, text, offset + i,
             "more than " + std::to_string(limits.max_fields_per_segment) + " fields (limit max_fields_per_segment)");
      }
      reps = comps = subs = 1;
    } else if (c == d.repetition) {
      if (++reps > limits.max_repetitions) {
        fail(number, text, offset + i,
             "field " + std::to_string(fields) + " has more than " + std::to_string(limits.max_repetitions) +
                 " repetitions (limit max_repetitions)");
      }
      comps = subs = 1;
    } else if (c == d.component) {
      if (++comps > limits.max_components) {
        fail(number, text, offset + i,
             "field " + std::to_string(fields) + " has more than " + std::to_string(limits.max_components) +
                 " components (limit max_components)");
      }
      subs = 1;
    } else if (c == d.subcomponent) {
      if (++subs > max_subcomponents(limits)) {
        fail(number, text, offset + i,
             "field " + std::to_string(fields) + " has more than " + std::to_string(max_subcomponents(limits)) +
                 " subcomponents (limit max_components, which also bounds subcomponents)");
      }
    }
  }
}

}  // namespace ferry::hl7::detail
