// The channel plugin: channel-to-channel routing inside one engine.
#include <ferry/plugin.hpp>

#include "reader.hpp"
#include "writer.hpp"

FERRY_PLUGIN("channel", "1.0.0", "Routes messages from one channel to others in the same engine",
             ferry::component<channel_plugin::Reader>(), ferry::component<channel_plugin::Writer>());
