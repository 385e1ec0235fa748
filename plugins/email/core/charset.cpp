#include "charset.hpp"

#include <iconv.h>

#include <cctype>
#include <cerrno>

#include "encoding.hpp"

namespace ferry::email {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::string to_utf8(std::string_view bytes, std::string_view charset) {
  const std::string cs = lower(charset);
  if (cs.empty() || cs == "utf-8" || cs == "utf8" || cs == "us-ascii" || cs == "ascii") return repair_utf8(bytes);
  iconv_t cd = iconv_open("UTF-8", cs.c_str());
  if (cd == reinterpret_cast<iconv_t>(-1)) return repair_utf8(bytes);
  std::string out;
  std::string in(bytes);
  char* in_ptr = in.data();
  size_t in_left = in.size();
  char buffer[4096];
  bool failed = false;
  while (in_left > 0) {
    char* out_ptr = buffer;
    size_t out_left = sizeof buffer;
    const size_t r = iconv(cd, &in_ptr, &in_left, &out_ptr, &out_left);
    out.append(buffer, sizeof buffer - out_left);
    if (r == static_cast<size_t>(-1) && errno != E2BIG) {
      failed = true;  // EILSEQ/EINVAL: not text of that charset after all
      break;
    }
  }
  iconv_close(cd);
  return failed ? repair_utf8(bytes) : repair_utf8(out);
}

}  // namespace ferry::email
