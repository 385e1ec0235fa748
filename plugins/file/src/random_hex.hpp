// Random hex text for unique temp names and ${uuid}.
#pragma once

#include <cstddef>
#include <string>

namespace ferry::file {

// 2 * bytes lowercase hex digits from the kernel's CSPRNG: names built from
// it must not collide between threads, processes or restarts.
std::string random_hex(size_t bytes);

}  // namespace ferry::file
