// Sending one delivery with the client and completing it with the outcome:
// the glue shared by http.sender and webhook.sender.
#pragma once

#include <ferry/http/client.hpp>
#include <ferry/http/sender_keys.hpp>
#include <ferry/plugin.hpp>

namespace ferry::http {

// The response as a Ferry message: the body with its Content-Type
// (application/octet-stream if none), and metadata http.status,
// http.reason, http.header.<lowercase name> (repeated headers joined by
// ", "), http.retry_after (seconds, when the server asked) and
// http.body_truncated ("true" when cut at max_response_bytes).
ferry::Message response_message(const Response& response, std::optional<int64_t> retry_after_s = std::nullopt);

// Takes the delivery over and sends `request`; the delivery is completed on
// the client's worker thread (or at once if the client is stopped) with
// FERRY_OK, FERRY_RETRY or FERRY_ERROR per `policy`, the response attached
// whenever there is one. A Retry-After holds the client's later requests.
// `client`, `policy` and `self` must outlive the client's worker.
void send_delivery(Client& client, const SendPolicy& policy, const ferry::Instance& self, Request request,
                   ferry::Delivery& delivery);

}  // namespace ferry::http
