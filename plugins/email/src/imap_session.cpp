#include "imap_session.hpp"

#include <poll.h>

namespace ferry::email {

namespace {

constexpr size_t kMaxLine = 16u << 20;  // a SEARCH answer for a big mailbox fits

}  // namespace

ImapSession::ImapSession(const ServerSettings& server, size_t max_literal)
    : server_(server), max_literal_(max_literal), timeout_(server.command_timeout_ms) {}

ImapSession::~ImapSession() { curl_.reset(); }

void ImapSession::fail(const std::string& text) {
  curl_.reset();
  reader_.reset();
  socket_ = CURL_SOCKET_BAD;
  throw SessionError(text);
}

void ImapSession::connect(const std::atomic<bool>* abort) {
  curl_.reset();
  abort_ = abort;
  auto curl = std::make_unique<CurlEasy>();
  curl->apply(server_, server_.url("imap", "imaps"), "imap,imaps");
  curl->abort_when(abort);
  curl_easy_setopt(curl->get(), CURLOPT_CONNECT_ONLY, 1L);
  const CURLcode rc = curl_easy_perform(curl->get());
  if (rc == CURLE_ABORTED_BY_CALLBACK) throw SessionError("stopping");
  if (rc != CURLE_OK) throw SessionError(curl->failure(rc));
  curl_socket_t s = CURL_SOCKET_BAD;
  if (curl_easy_getinfo(curl->get(), CURLINFO_ACTIVESOCKET, &s) != CURLE_OK || s == CURL_SOCKET_BAD)
    throw SessionError("libcurl gave no socket for the IMAP connection");
  curl_ = std::move(curl);
  socket_ = s;
  reader_ = std::make_unique<ImapReader>(kMaxLine, max_literal_);
  next_tag_ = 1;
  // What the server can do once logged in (MOVE, UIDPLUS).
  capabilities_ = find_capabilities(expect_ok("CAPABILITY", "CAPABILITY").untagged);
}

void ImapSession::close() {
  if (!curl_) return;
  const auto saved = timeout_;
  timeout_ = std::min(timeout_, std::chrono::milliseconds(2000));
  try {
    command("LOGOUT");
  } catch (const std::exception&) {
  }
  timeout_ = saved;
  curl_.reset();
  reader_.reset();
  socket_ = CURL_SOCKET_BAD;
}

void ImapSession::wait_socket(bool for_write, std::chrono::steady_clock::time_point deadline) {
  for (;;) {
    if (abort_ != nullptr && abort_->load()) fail("stopping");
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) fail("no answer from the IMAP server within " + std::to_string(timeout_.count()) + " ms");
    // Short slices, so that stopping is noticed quickly.
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count();
    pollfd p{socket_, static_cast<short>(for_write ? POLLOUT : POLLIN), 0};
    const int r = ::poll(&p, 1, static_cast<int>(std::min<int64_t>(left, 200)));
    if (r > 0) return;  // ready, or an error that the next send/recv reports
  }
}

void ImapSession::write_all(const std::string& data) {
  const auto deadline = std::chrono::steady_clock::now() + timeout_;
  size_t done = 0;
  while (done < data.size()) {
    size_t n = 0;
    const CURLcode rc = curl_easy_send(curl_->get(), data.data() + done, data.size() - done, &n);
    if (rc == CURLE_AGAIN || (rc == CURLE_OK && n == 0)) {
      wait_socket(true, deadline);
      continue;
    }
    if (rc != CURLE_OK) fail("cannot send to the IMAP server: " + curl_->failure(rc));
    done += n;
  }
}

ImapSession::Reply ImapSession::command(const std::string& command) {
  if (!curl_) throw SessionError("not connected");
  const std::string tag = "F" + std::to_string(next_tag_++);
  write_all(tag + " " + command + "\r\n");
  Reply reply;
  // The timeout is for silence: a big mail arriving slowly is fine.
  auto deadline = std::chrono::steady_clock::now() + timeout_;
  char buffer[64 * 1024];
  for (;;) {
    try {
      while (auto r = reader_->next()) {
        if (r->tag == tag) {
          last_answer_ = std::chrono::steady_clock::now();
          reply.done = std::move(*r);
          return reply;
        }
        if (r->tag == "*") reply.untagged.push_back(std::move(*r));
        // Continuations and other tags are not ours to answer: skipped.
      }
    } catch (const ImapError& e) {
      fail(std::string("IMAP protocol error: ") + e.what());
    }
    size_t n = 0;
    const CURLcode rc = curl_easy_recv(curl_->get(), buffer, sizeof buffer, &n);
    if (rc == CURLE_AGAIN) {
      wait_socket(false, deadline);
      continue;
    }
    if (rc != CURLE_OK) fail("cannot read from the IMAP server: " + curl_->failure(rc));
    if (n == 0) fail("the IMAP server closed the connection");
    reader_->feed(std::string_view(buffer, n));
    deadline = std::chrono::steady_clock::now() + timeout_;
  }
}

ImapSession::Reply ImapSession::expect_ok(const std::string& command, const std::string& what) {
  Reply r = this->command(command);
  if (response_status(r.done) != "OK") throw CommandError(what + ": " + r.done.text);
  return r;
}

}  // namespace ferry::email
