// Config keys that the listener and the sender share, declared once.
#pragma once

#include <ferry/plugin.hpp>

#include "framing.hpp"

namespace mllp::keys {

inline constexpr const char* const tls_versions[] = {"1.2", "1.3", nullptr};

inline constexpr ferry::Key frame_start =
    ferry::Key::integer("frame_start").describe("Start-of-block byte").fallback("11").range(0, 255);
inline constexpr ferry::Key frame_end =
    ferry::Key::integer("frame_end").describe("End-of-block byte").fallback("28").range(0, 255);
inline constexpr ferry::Key frame_trailer = ferry::Key::integer("frame_trailer")
                                                .describe("Byte after the end-of-block byte (-1: none)")
                                                .fallback("13")
                                                .range(-1, 255);
inline constexpr ferry::Key tls_min_version =
    ferry::Key::string("tls_min_version").describe("Lowest TLS version accepted").fallback("\"1.2\"").one_of(tls_versions);

// The framing those keys describe; start and end must differ or no frame
// could ever be told apart.
inline Framing read_framing(const ferry::Config& c) {
  Framing f;
  f.start = static_cast<uint8_t>(c.integer("frame_start"));
  f.end = static_cast<uint8_t>(c.integer("frame_end"));
  f.trailer = static_cast<int>(c.integer("frame_trailer"));
  if (f.start == f.end) throw ferry::Error("frame_start and frame_end must differ");
  return f;
}

}  // namespace mllp::keys
