#include <ferry/template/template.hpp>

#include <sys/random.h>

#include <cerrno>
#include <random>
#include <vector>

namespace ferry::tmpl {

namespace {

std::vector<unsigned char> random_bytes(size_t bytes) {
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
  return raw;
}

constexpr char hex_digits[] = "0123456789abcdef";

}  // namespace

std::string random_hex(size_t bytes) {
  std::string out;
  out.reserve(bytes * 2);
  for (unsigned char b : random_bytes(bytes)) {
    out += hex_digits[b >> 4];
    out += hex_digits[b & 0x0fu];
  }
  return out;
}

std::string uuid_v4() {
  std::vector<unsigned char> raw = random_bytes(16);
  raw[6] = static_cast<unsigned char>((raw[6] & 0x0fu) | 0x40u);  // version 4
  raw[8] = static_cast<unsigned char>((raw[8] & 0x3fu) | 0x80u);  // RFC 4122 variant
  std::string out;
  out.reserve(36);
  for (size_t i = 0; i < raw.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += hex_digits[raw[i] >> 4];
    out += hex_digits[raw[i] & 0x0fu];
  }
  return out;
}

}  // namespace ferry::tmpl
