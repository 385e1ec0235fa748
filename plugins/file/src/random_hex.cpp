#include "random_hex.hpp"

#include <sys/random.h>

#include <cerrno>
#include <random>
#include <vector>

namespace ferry::file {

std::string random_hex(size_t bytes) {
  std::vector<unsigned char> raw(bytes);
  size_t got = 0;
  while (got < bytes) {
    const ssize_t n = ::getrandom(raw.data() + got, bytes - got, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      break;  // only on kernels without getrandom(): fall back below
    }
    got += static_cast<size_t>(n);
  }
  if (got < bytes) {
    thread_local std::random_device device;
    for (size_t i = got; i < bytes; ++i) raw[i] = static_cast<unsigned char>(device() & 0xffu);
  }
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes * 2);
  for (unsigned char b : raw) {
    out += digits[b >> 4];
    out += digits[b & 0x0fu];
  }
  return out;
}

}  // namespace ferry::file
