// One IMAP connection. libcurl connects, does TLS or STARTTLS and logs in
// (CURLOPT_CONNECT_ONLY); the commands after that are ours, sent and read
// through curl_easy_send/curl_easy_recv, because libcurl's own FETCH uses
// BODY[] which marks a mail \Seen the moment it is read: the reader must
// read with BODY.PEEK[] and mark a mail only once its message is stored.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "curl_session.hpp"
#include "imap_protocol.hpp"
#include "server_settings.hpp"

namespace ferry::email {

// The connection is unusable (refused, TLS, login, lost, timed out,
// aborted); the session is closed when this is thrown.
struct SessionError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
// The server answered NO or BAD; the connection stays usable.
struct CommandError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class ImapSession {
 public:
  ImapSession(const ServerSettings& server, size_t max_literal);
  ~ImapSession();

  // Connects and logs in. abort: while true, waiting ends with SessionError.
  void connect(const std::atomic<bool>* abort);
  bool connected() const { return curl_ != nullptr; }
  // LOGOUT (briefly, errors ignored) and close.
  void close();

  struct Reply {
    std::vector<ImapResponse> untagged;
    ImapResponse done;  // the tagged response
  };
  // Sends one command (without tag or CRLF) and reads until its tagged
  // response. Throws SessionError; returns NO/BAD answers as they are.
  Reply command(const std::string& command);
  // As command(), but NO/BAD throw CommandError naming `what`.
  Reply expect_ok(const std::string& command, const std::string& what);

  const std::set<std::string>& capabilities() const { return capabilities_; }
  // When the server last answered a command.
  std::chrono::steady_clock::time_point last_answer() const { return last_answer_; }
  // Each command waits at most this long for its answer.
  void set_timeout(std::chrono::milliseconds t) { timeout_ = t; }
  void set_abort(const std::atomic<bool>* abort) { abort_ = abort; }

 private:
  void write_all(const std::string& data);
  // Waits until the socket is readable/writable, the deadline passes or
  // abort is set.
  void wait_socket(bool for_write, std::chrono::steady_clock::time_point deadline);
  [[noreturn]] void fail(const std::string& text);

  const ServerSettings& server_;
  size_t max_literal_;
  std::unique_ptr<CurlEasy> curl_;
  curl_socket_t socket_ = CURL_SOCKET_BAD;
  std::unique_ptr<ImapReader> reader_;
  std::set<std::string> capabilities_;
  std::chrono::milliseconds timeout_;
  const std::atomic<bool>* abort_ = nullptr;
  uint64_t next_tag_ = 1;
  std::chrono::steady_clock::time_point last_answer_{};
};

}  // namespace ferry::email
