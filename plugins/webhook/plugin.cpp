// The webhook plugin: signed webhooks out (webhook.sender) and in
// (webhook.receiver).
#include <ferry/plugin.hpp>

#include "receiver.hpp"
#include "sender.hpp"

FERRY_PLUGIN("webhook", "1.0.0", "Signed webhooks (HMAC-SHA256): a sender (destination) and a receiver (source)",
             ferry::component<webhook::Sender>(), ferry::component<webhook::Receiver>());
