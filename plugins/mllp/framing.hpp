// MLLP framing: <start> payload <end>[<trailer>]. A small state machine fed
// with whatever bytes arrive, so frames split across reads, several frames
// in one read, garbage between frames and oversize frames are all handled
// in one place for the listener and the sender.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mllp {

struct Framing {
  uint8_t start = 0x0B;
  uint8_t end = 0x1C;
  int trailer = 0x0D;  // -1: no trailer byte after `end`

  std::string wrap(std::string_view payload) const;
};

class FrameReader {
 public:
  FrameReader(Framing framing, size_t max_payload) : framing_(framing), max_payload_(max_payload) {}

  struct Event {
    enum Kind { frame, oversize, garbage } kind;
    std::string payload;  // frame: the message; garbage: the skipped bytes (capped)
  };
  // Feed bytes; completed frames and problems come out in order.
  void feed(std::string_view bytes, std::vector<Event>& out);
  // True while a frame has started but not ended.
  bool in_frame() const { return state_ != State::idle; }

 private:
  enum class State { idle, payload, after_end, skipping_oversize };
  Framing framing_;
  size_t max_payload_;
  State state_ = State::idle;
  std::string payload_;
  std::string garbage_;
};

}  // namespace mllp
