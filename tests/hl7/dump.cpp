// ferry_hl7_dump FILE: every leaf value of every message in FILE, one JSON
// array [message, path, value] per line, read with split_messages() and
// Message::get() only. The differential test compares this with what
// python3-hl7 reads from the same file (differential.py).
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "ferry/hl7/message.hpp"

using ferry::hl7::Message;

namespace {

void dump_segment(const Message& m, size_t message, const std::string& name, size_t occurrence) {
  const std::string seg = name + "[" + std::to_string(occurrence) + "]";
  for (size_t f = 1; m.get(seg + "-" + std::to_string(f)); ++f) {
    const std::string field = seg + "-" + std::to_string(f);
    for (size_t r = 1; m.get(field + "[" + std::to_string(r) + "]"); ++r) {
      const std::string rep = field + "[" + std::to_string(r) + "]";
      for (size_t c = 1; m.get(rep + "." + std::to_string(c)); ++c) {
        const std::string comp = rep + "." + std::to_string(c);
        for (size_t s = 1;; ++s) {
          const std::string path = comp + "." + std::to_string(s);
          const auto value = m.get(path);
          if (!value) break;
          std::cout << nlohmann::json::array({message, path, *value}).dump() << "\n";
        }
      }
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: ferry_hl7_dump FILE\n";
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  if (!in) {
    std::cerr << argv[1] << ": cannot read\n";
    return 2;
  }
  std::stringstream bytes;
  bytes << in.rdbuf();
  try {
    const auto messages = ferry::hl7::split_messages(bytes.str());
    for (size_t i = 0; i < messages.size(); ++i) {
      const auto m = Message::parse(messages[i]);
      std::map<std::string, size_t> seen;
      for (size_t k = 0; k < m.segment_count(); ++k) {
        const std::string name = m.segment_name(k);
        dump_segment(m, i + 1, name, ++seen[name]);
      }
    }
  } catch (const std::exception& e) {
    std::cerr << argv[1] << ": " << e.what() << "\n";
    return 1;
  }
  return 0;
}
