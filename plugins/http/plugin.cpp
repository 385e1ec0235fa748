// The http plugin: HTTP(S) in and out. One line per component.
#include <ferry/plugin.hpp>

#include "listener.hpp"
#include "sender.hpp"

FERRY_PLUGIN("http", "1.0.0", "HTTP(S): a listener (source) and a sender (destination)",
             ferry::component<ferry::http::Listener>(), ferry::component<ferry::http::Sender>());
