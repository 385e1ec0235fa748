// The mllp plugin: HL7 v2 over MLLP, both directions.
#include <ferry/plugin.hpp>

#include "listener.hpp"
#include "sender.hpp"

FERRY_PLUGIN("mllp", "1.0.0", "HL7 v2 over MLLP: a listener (source) and a sender (destination)",
             ferry::component<mllp::Listener>(), ferry::component<mllp::Sender>());
