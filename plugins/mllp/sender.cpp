#include "sender.hpp"

#include <ferry/hl7/ack.hpp>
#include <ferry/hl7/message.hpp>

#include <boost/asio/connect.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

#include <openssl/ssl.h>

namespace mllp {

namespace asio = boost::asio;

Sender::Sender(ferry::Instance self, const ferry::Config& c)
    : Destination(self),
      host_(c.string("host")),
      port_(std::to_string(c.integer("port"))),
      connect_timeout_ms_(c.integer("connect_timeout_ms")),
      response_timeout_ms_(c.integer("response_timeout_ms")),
      keep_connection_(c.boolean("keep_connection")),
      on_error_(c.string("on_error")),
      on_reject_(c.string("on_reject")),
      on_no_ack_(c.string("on_no_ack")),
      check_control_id_(c.boolean("check_control_id")),
      max_response_bytes_(static_cast<size_t>(c.integer("max_response_bytes"))),
      resolver_(io_),
      timer_(io_) {
  framing_ = keys::read_framing(c);
  if (c.boolean("tls")) {
    ferry::net::TlsSettings t;
    t.enabled = true;
    t.verify_peer = c.boolean("tls_verify");
    t.ca = c.string("tls_ca");
    t.certificate = c.string("tls_certificate");
    t.key = c.string("tls_key");
    t.min_version = c.string("tls_min_version");
    try {
      tls_ = ferry::net::make_tls_context(t, false);
    } catch (const std::exception& e) {
      throw ferry::Error(std::string("TLS: ") + e.what());
    }
    server_name_ = c.string("tls_server_name").empty() ? host_ : c.string("tls_server_name");
  }
}

void Sender::disconnect() {
  connected_ = false;
  if (transport_) transport_->close();
}

Sender::~Sender() { stop(); }

void Sender::start() {
  work_.emplace(io_.get_executor());
  thread_ = std::thread([this] { io_.run(); });
}

void Sender::stop() {
  if (!thread_.joinable()) return;
  asio::post(io_, [this] {
    finish(FERRY_RETRY, "destination stopping");
    disconnect();
    timer_.cancel();
    work_.reset();
  });
  thread_.join();
}

ferry_status_t Sender::outcome(const std::string& setting) const {
  return setting == "accept" ? FERRY_OK : setting == "fail" ? FERRY_ERROR : FERRY_RETRY;
}

void Sender::send(ferry::Delivery& delivery) {
  const ferry::Message m = delivery.message();
  std::string content(m.content());
  std::string control_id;
  try {
    control_id = ferry::hl7::Message::parse(content).control_id();
  } catch (const std::exception& e) {
    // The receiver would reject it too: fail now, with the reason.
    throw ferry::Error(std::string("not an HL7 v2 message: ") + e.what());
  }
  {
    std::lock_guard lock(mutex_);
    delivery_.emplace(std::move(delivery));
    frame_ = framing_.wrap(content);
    control_id_ = std::move(control_id);
  }
  asio::post(io_, [this] {
    if (connected_) write();
    else connect();
  });
}

void Sender::connect() {
  timer_.expires_after(std::chrono::milliseconds(connect_timeout_ms_));
  transport_.emplace(asio::ip::tcp::socket(io_), tls_);
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec) {  // the deadline passed first
      resolver_.cancel();
      transport_->close();
    }
  });
  resolver_.async_resolve(host_, port_, [this](const boost::system::error_code& ec,
                                               asio::ip::tcp::resolver::results_type results) {
    if (ec) {
      timer_.cancel();
      return fail_io("cannot resolve " + host_, ec);
    }
    asio::async_connect(transport_->socket(), results,
                        [this](const boost::system::error_code& cec, const asio::ip::tcp::endpoint&) {
      if (cec) {
        timer_.cancel();
        return fail_io("cannot connect to " + host_ + ":" + port_, cec);
      }
      boost::system::error_code ignored;
      transport_->socket().set_option(asio::ip::tcp::no_delay(true), ignored);
      if (transport_->secure()) return handshake();
      timer_.cancel();
      connected_ = true;
      write();
    });
  });
}

// TLS: SNI plus verification of the server's name against its certificate,
// under the same connect deadline.
void Sender::handshake() {
  auto* tls = transport_->tls();
  SSL_set_tlsext_host_name(tls->native_handle(), server_name_.c_str());
  tls->set_verify_callback(asio::ssl::host_name_verification(server_name_));
  transport_->async_handshake(asio::ssl::stream_base::client, [this](const boost::system::error_code& ec) {
    timer_.cancel();
    if (ec) return fail_io("TLS handshake with " + host_ + ":" + port_ + " failed", ec);
    connected_ = true;
    write();
  });
}

void Sender::write() {
  reader_.emplace(framing_, max_response_bytes_);
  transport_->async_write(asio::buffer(frame_), [this](const boost::system::error_code& ec, size_t) {
    if (ec) return fail_io("send to " + host_ + ":" + port_ + " failed", ec);
    timer_.expires_after(std::chrono::milliseconds(response_timeout_ms_));
    timer_.async_wait([this](const boost::system::error_code& tec) {
      if (tec) return;
      transport_->close();  // ends the pending read with an error
    });
    read();
  });
}

void Sender::read() {
  transport_->async_read_some(asio::buffer(buffer_), [this](const boost::system::error_code& ec, size_t n) {
    if (ec) {
      timer_.cancel();
      const bool timed_out = ec == asio::error::operation_aborted || ec == asio::error::bad_descriptor;
      disconnect();
      return finish(outcome(on_no_ack_), timed_out ? "no ACK within response_timeout_ms" : "connection lost before the ACK: " + ec.message());
    }
    std::vector<FrameReader::Event> events;
    reader_->feed(std::string_view(buffer_.data(), n), events);
    for (auto& e : events) {
      if (e.kind == FrameReader::Event::garbage) continue;
      if (e.kind == FrameReader::Event::oversize) {
        timer_.cancel();
        disconnect();
        return finish(outcome(on_no_ack_), "answer larger than max_response_bytes");
      }
      const auto ack = ferry::hl7::read_ack(e.payload);
      if (ack && check_control_id_ && ack->control_id != control_id_) {
        // A late answer to an earlier message (e.g. the application ACK that
        // follows a CA in enhanced mode): not ours, keep reading. Resending
        // here would deliver the message twice.
        self().debug("ignored an ACK for another message (MSA-2 " + ack->control_id + ", waiting for " +
                     control_id_ + ")");
        continue;
      }
      timer_.cancel();
      if (!keep_connection_) disconnect();
      if (!ack) {
        disconnect();  // the stream cannot be trusted to be in step any more
        return finish(outcome(on_no_ack_), "the answer is not an HL7 ACK", e.payload);
      }
      const std::string& code = ack->code;
      const std::string text = code + (ack->text.empty() ? "" : ": " + ack->text);
      if (code == "AA" || code == "CA") return finish(FERRY_OK, {}, e.payload);
      if (code == "AE" || code == "CE") return finish(outcome(on_error_), text, e.payload);
      if (code == "AR" || code == "CR") return finish(outcome(on_reject_), text, e.payload);
      return finish(outcome(on_no_ack_), "unknown acknowledgement code " + code, e.payload);
    }
    read();  // the answer is not complete yet
  });
}

void Sender::fail_io(const std::string& what, const boost::system::error_code& ec) {
  disconnect();
  finish(FERRY_RETRY, what + ": " + ec.message());
}

void Sender::finish(ferry_status_t status, const std::string& text, std::string response) {
  std::optional<ferry::Delivery> d;
  {
    std::lock_guard lock(mutex_);
    if (!delivery_) return;
    d.emplace(std::move(*delivery_));
    delivery_.reset();
  }
  if (!response.empty()) self().count(status == FERRY_OK ? "acked" : "nacked");
  d->complete(status, response.empty() ? ferry::Message() : ferry::Message::create(response, "application/hl7-v2"), text);
}

}  // namespace mllp
