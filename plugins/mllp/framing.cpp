#include "framing.hpp"

namespace mllp {

std::string Framing::wrap(std::string_view payload) const {
  std::string out;
  out.reserve(payload.size() + 3);
  out += static_cast<char>(start);
  out += payload;
  out += static_cast<char>(end);
  if (trailer >= 0) out += static_cast<char>(trailer);
  return out;
}

void FrameReader::feed(std::string_view bytes, std::vector<Event>& out) {
  const char start = static_cast<char>(framing_.start);
  const char end = static_cast<char>(framing_.end);
  auto flush_garbage = [&] {
    if (garbage_.empty()) return;
    out.push_back({Event::garbage, std::move(garbage_)});
    garbage_.clear();
  };
  for (size_t i = 0; i < bytes.size(); ++i) {
    const char c = bytes[i];
    switch (state_) {
      case State::idle:
        if (c == start) {
          flush_garbage();
          state_ = State::payload;
          payload_.clear();
        } else if (garbage_.size() < 64) {  // keep a sample for the log, not all of it
          garbage_ += c;
        } else if (garbage_.size() == 64) {
          garbage_ += "...";
        }
        break;
      case State::payload: {
        // Copy the run up to the next end byte in one go.
        const size_t stop = bytes.find(end, i);
        const size_t n = (stop == std::string_view::npos ? bytes.size() : stop) - i;
        if (payload_.size() + n > max_payload_) {
          out.push_back({Event::oversize, {}});
          payload_.clear();
          state_ = State::skipping_oversize;
          i = (stop == std::string_view::npos ? bytes.size() : stop) - 1;
          break;
        }
        payload_.append(bytes.substr(i, n));
        i += n;
        if (i < bytes.size()) {  // at the end byte
          if (framing_.trailer < 0) {
            out.push_back({Event::frame, std::move(payload_)});
            payload_.clear();
            state_ = State::idle;
          } else {
            state_ = State::after_end;
          }
        }
        break;
      }
      case State::after_end:
        if (static_cast<unsigned char>(c) == framing_.trailer) {
          out.push_back({Event::frame, std::move(payload_)});
          payload_.clear();
          state_ = State::idle;
        } else {
          // An end byte inside the payload after all: keep both bytes.
          payload_ += end;
          state_ = State::payload;
          --i;
        }
        break;
      case State::skipping_oversize:
        // Resynchronise on the next end of frame (or a fresh start byte).
        if (c == end) {
          state_ = State::idle;  // a trailer byte after it counts as garbage
        } else if (c == start) {
          state_ = State::payload;
          payload_.clear();
        }
        break;
    }
  }
  flush_garbage();
}

}  // namespace mllp
