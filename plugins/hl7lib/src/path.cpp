// Path::parse: SEG[occurrence]-field[repetition].component.subcomponent
#include <stdexcept>
#include <string>

#include "ferry/hl7/message.hpp"
#include "quote.hpp"
#include "tokenize.hpp"

namespace ferry::hl7 {

namespace {

// Nine digits keep every number far from size_t overflow while allowing
// any position a message within the limits can have.
constexpr size_t kMaxDigits = 9;

class Reader {
 public:
  explicit Reader(std::string_view text) : text_(text) {}

  bool at_end() const { return pos_ >= text_.size(); }
  bool accept(char c) {
    if (!at_end() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  size_t number(const char* what) {
    const size_t start = pos_;
    size_t value = 0;
    while (!at_end() && text_[pos_] >= '0' && text_[pos_] <= '9') {
      if (pos_ - start == kMaxDigits) fail(std::string(what) + " has too many digits");
      value = value * 10 + static_cast<size_t>(text_[pos_] - '0');
      ++pos_;
    }
    if (pos_ == start) fail(std::string("expected ") + what);
    if (value == 0) fail(std::string(what) + " must be 1 or more");
    return value;
  }
  void expect(char c) {
    if (!accept(c)) fail(std::string("expected '") + c + "'");
  }
  [[noreturn]] void fail(const std::string& why) const {
    throw std::invalid_argument("bad HL7 path " + detail::quote(text_, 60) + ": " + why + " at position " +
                                std::to_string(pos_ + 1) +
                                " (expected SEG[n]-field[n].component.subcomponent, e.g. PID-3[2].1)");
  }
  size_t pos() const { return pos_; }
  void skip(size_t n) { pos_ += n; }

 private:
  std::string_view text_;
  size_t pos_ = 0;
};

}  // namespace

Path Path::parse(std::string_view text) {
  Reader r(text);
  Path p;
  if (!detail::valid_segment_name(text.substr(0, 3))) {
    r.fail("expected a segment name (3 characters A-Z or 0-9, the first a letter)");
  }
  p.segment = std::string(text.substr(0, 3));
  r.skip(3);
  if (r.accept('[')) {
    p.occurrence = r.number("a segment occurrence");
    r.expect(']');
  }
  if (r.accept('-')) {
    p.field = r.number("a field number");
    if (r.accept('[')) {
      p.repetition = r.number("a repetition number");
      r.expect(']');
    }
    if (r.accept('.')) {
      p.component = r.number("a component number");
      if (r.accept('.')) p.subcomponent = r.number("a subcomponent number");
    }
  }
  if (!r.at_end()) r.fail("unexpected character");
  return p;
}

}  // namespace ferry::hl7
