#include "connection.hpp"

#include <ferry/hl7/ack.hpp>

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

#include "listener.hpp"

namespace mllp {

namespace asio = boost::asio;
using ferry::hl7::AckOutcome;

Connection::Connection(Listener& listener, asio::ip::tcp::socket socket, std::shared_ptr<asio::ssl::context> tls)
    : listener_(listener),
      strand_(socket.get_executor()),
      transport_(std::move(socket), std::move(tls)),
      idle_timer_(strand_),
      read_timer_(strand_),
      retry_timer_(strand_),
      reader_(listener.settings().framing, listener.settings().max_message_bytes) {
  boost::system::error_code ec;
  const auto ep = transport_.socket().remote_endpoint(ec);
  remote_ = ec ? "unknown" : ep.address().to_string() + ":" + std::to_string(ep.port());
}

void Connection::start() {
  asio::post(strand_, [self = shared_from_this()] {
    self->arm_idle();
    if (!self->transport_.secure()) return self->read();
    self->transport_.async_handshake(
        asio::ssl::stream_base::server,
        asio::bind_executor(self->strand_, [self](const boost::system::error_code& ec) {
          if (ec) return self->close("TLS handshake failed: " + ec.message());
          self->read();
        }));
  });
}

void Connection::read() {
  if (closed_ || closing_ || reading_ || slots_.size() >= listener_.settings().window) return;
  reading_ = true;
  transport_.async_read_some(
      asio::buffer(buffer_),
      asio::bind_executor(strand_, [self = shared_from_this()](const boost::system::error_code& ec, size_t n) {
        self->reading_ = false;
        if (ec) {
          if (ec != asio::error::operation_aborted)
            self->close(ec == asio::error::eof ? "peer closed the connection" : "read failed: " + ec.message());
          return;
        }
        self->arm_idle();
        std::vector<FrameReader::Event> events;
        self->reader_.feed(std::string_view(self->buffer_.data(), n), events);
        for (auto& e : events) {
          if (self->closed_) return;
          switch (e.kind) {
            case FrameReader::Event::frame: self->on_frame(std::move(e.payload)); break;
            case FrameReader::Event::garbage:
              self->listener_.self().warn("ignored bytes outside an MLLP frame from " + self->remote_ + ": " +
                                          std::to_string(e.payload.size()) + " byte(s)");
              break;
            case FrameReader::Event::oversize: {
              Slot slot;
              slot.seq = self->next_seq_++;
              slot.ready = true;
              slot.response = ferry::hl7::make_reject_for_unparsable(
                  "", "message larger than max_message_bytes (" +
                          std::to_string(self->listener_.settings().max_message_bytes) + ")");
              self->slots_.push_back(std::move(slot));
              self->flush();
              self->shutdown(false);
              self->listener_.self().warn("closing " + self->remote_ + ": message larger than max_message_bytes");
              return;
            }
          }
        }
        self->update_read_timer();
        self->read();
      }));
}

void Connection::on_frame(std::string payload) {
  Slot slot;
  slot.seq = next_seq_++;
  try {
    ferry::hl7::Limits limits;
    limits.max_message_bytes = listener_.settings().max_message_bytes;
    slot.message = ferry::hl7::Message::parse(payload, limits);
    slot.raw = std::move(payload);
  } catch (const std::exception& e) {
    // Not HL7 we can use: reject it, and never pass it on as if it were.
    slot.ready = true;
    slot.response = ferry::hl7::make_reject_for_unparsable(payload, e.what());
    listener_.self().warn("rejected an unparsable message from " + remote_ + ": " + e.what());
  }
  slots_.push_back(std::move(slot));
  emit_pending();
  flush();
}

// Emit, in order, every parsed message not emitted yet. Under backpressure
// (emit answers "retry") reading pauses and emitting is tried again shortly.
void Connection::emit_pending() {
  for (auto& slot : slots_) {
    if (slot.emitted || !slot.message) continue;
    auto m = ferry::Message::create(slot.raw, "application/hl7-v2");
    const auto& msg = *slot.message;
    m.set_meta("remote_address", remote_);
    m.set_meta("control_id", msg.control_id());
    m.set_meta("message_type", msg.message_type());
    m.set_meta("hl7_version", msg.version());
    m.set_meta("sending_application", msg.get("MSH-3").value_or(""));
    m.set_meta("sending_facility", msg.get("MSH-4").value_or(""));
    const uint64_t seq = slot.seq;
    const ferry_status_t s = listener_.emit(m, [self = shared_from_this(), seq](ferry::EmitResult r) {
      // Runs on a host thread: copy what is borrowed, then go to the strand.
      std::string channel_response = r.response ? std::string(r.response.content()) : std::string();
      ferry::EmitResult copy{r.status, r.message_id, {}, {}};
      auto error = std::make_shared<std::string>(r.error);
      asio::post(self->strand_, [self, seq, copy, error, channel_response = std::move(channel_response)]() mutable {
        copy.error = *error;
        self->answer(seq, copy, std::move(channel_response));
      });
    });
    if (s == FERRY_OK) {
      slot.emitted = true;
      slot.raw.clear();
      slot.raw.shrink_to_fit();
      continue;
    }
    if (s == FERRY_RETRY) {  // backpressure: keep the order, try again soon
      if (!retry_armed_) {
        retry_armed_ = true;
        retry_timer_.expires_after(std::chrono::milliseconds(20));
        retry_timer_.async_wait(asio::bind_executor(strand_, [self = shared_from_this()](const boost::system::error_code& ec) {
          self->retry_armed_ = false;
          if (!ec) self->emit_pending();
        }));
      }
      return;
    }
    // Stopping, or refused: never AA for what was not taken.
    slot.emitted = true;
    slot.ready = true;
    slot.response = ferry::hl7::make_ack(*slot.message, AckOutcome::error,
                                         {s == FERRY_STOPPING ? "receiver is shutting down; send again later"
                                                              : "message not accepted by the channel", {}, {}, {}});
  }
}

void Connection::answer(uint64_t seq, const ferry::EmitResult& r, std::string channel_response) {
  Slot* slot = find(seq);
  if (slot == nullptr) return;
  slot->ready = true;
  const auto& s = listener_.settings();
  if (!s.send_acks) {
    slot->response.clear();
  } else if (!channel_response.empty()) {
    slot->response = std::move(channel_response);  // a destination's response, as the policy says
  } else {
    AckOutcome outcome = AckOutcome::accept;
    std::string text(r.error);
    if (r.status == FERRY_FILTERED) {
      outcome = s.filtered_ack == "reject" ? AckOutcome::reject
                : s.filtered_ack == "error" ? AckOutcome::error
                                            : AckOutcome::accept;
    } else if (r.status == FERRY_ERROR) {
      outcome = AckOutcome::error;
    } else if (r.status != FERRY_OK) {  // not stored (store unavailable, stopping)
      outcome = AckOutcome::error;
      text = "message not stored: " + text;
    }
    slot->response = ferry::hl7::make_ack(*slot->message, outcome, {text, {}, {}, {}});
  }
  flush();
}

// Write the answers that are due, strictly in arrival order. Answers that
// are due together go out in one write (one send for a pipelined burst);
// the buffer being written is never touched.
void Connection::flush() {
  constexpr size_t kMaxCoalesced = 64 * 1024;
  while (!slots_.empty() && slots_.front().ready) {
    if (!slots_.front().response.empty()) {
      std::string framed = listener_.settings().framing.wrap(slots_.front().response);
      const bool back_is_free = writes_.size() > (writing_ ? 1u : 0u);
      if (back_is_free && writes_.back().size() + framed.size() <= kMaxCoalesced) writes_.back() += framed;
      else writes_.push_back(std::move(framed));
    }
    slots_.pop_front();
  }
  write_next();
  read();  // the window may have room again
}

void Connection::write_next() {
  if (writing_ || writes_.empty() || closed_) {
    if (closing_ && !writing_ && writes_.empty() && slots_.empty()) close("closing");
    return;
  }
  writing_ = true;
  transport_.async_write(asio::buffer(writes_.front()),
                    asio::bind_executor(strand_, [self = shared_from_this()](const boost::system::error_code& ec, size_t) {
                      self->writing_ = false;
                      if (ec) {
                        self->close("write failed: " + ec.message());
                        return;
                      }
                      self->writes_.pop_front();
                      self->write_next();
                    }));
}

void Connection::shutdown(bool now) {
  asio::post(strand_, [self = shared_from_this(), now] {
    self->closing_ = true;
    if (now) self->close("listener stopping");
    else self->write_next();
  });
}

void Connection::close(const std::string& why) {
  if (closed_) return;
  closed_ = true;
  transport_.close();
  idle_timer_.cancel();
  read_timer_.cancel();
  retry_timer_.cancel();
  if (why != "closing" && why != "peer closed the connection")
    listener_.self().info("connection from " + remote_ + " closed: " + why);
  listener_.closed(shared_from_this());
}

void Connection::arm_idle() {
  const int64_t ms = listener_.settings().idle_timeout_ms;
  if (ms <= 0) return;
  idle_timer_.expires_after(std::chrono::milliseconds(ms));
  idle_timer_.async_wait(asio::bind_executor(strand_, [self = shared_from_this()](const boost::system::error_code& ec) {
    if (!ec && self->slots_.empty()) self->close("idle for idle_timeout_ms");
    else if (!ec) self->arm_idle();  // answers still due: not idle
  }));
}

// A message that started must end within read_timeout_ms: a slow or stuck
// peer must not hold a connection (and its buffer) for ever.
void Connection::update_read_timer() {
  if (!reader_.in_frame()) {
    if (read_timer_armed_) read_timer_.cancel();
    read_timer_armed_ = false;
    return;
  }
  if (read_timer_armed_) return;
  read_timer_armed_ = true;
  read_timer_.expires_after(std::chrono::milliseconds(listener_.settings().read_timeout_ms));
  read_timer_.async_wait(asio::bind_executor(strand_, [self = shared_from_this()](const boost::system::error_code& ec) {
    if (ec || !self->read_timer_armed_) return;
    self->read_timer_armed_ = false;
    if (self->reader_.in_frame()) self->close("message not completed within read_timeout_ms");
  }));
}

Connection::Slot* Connection::find(uint64_t seq) {
  for (auto& s : slots_)
    if (s.seq == seq) return &s;
  return nullptr;
}

}  // namespace mllp
