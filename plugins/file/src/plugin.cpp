// The `file` plugin: file.reader (source) and file.writer (destination).
#include <ferry/plugin.hpp>

#include "reader.hpp"
#include "writer.hpp"

FERRY_PLUGIN("file", "1.0.0", "Reads messages from files in a directory and writes messages to files",
             ferry::component<ferry::file::Reader>(), ferry::component<ferry::file::Writer>());
