// What an SMTP server answered, step by step (from libcurl's debug
// callback), and what that means for the delivery: sent, retry later or
// failed, with the server's own words and the exact recipients it refused.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ferry::email {

struct SmtpReply {
  std::string command;    // "" (greeting), EHLO, STARTTLS, AUTH, MAIL, RCPT, DATA, "." (end of data), ...
  std::string recipient;  // for RCPT: the address
  int code = 0;
  std::string text;  // "250 2.0.0 queued", lines of a multi-line reply joined by "\n"
};

// Fed with the protocol lines libcurl reports. Credentials never end up in
// it: only the verb of a command is kept (and the address of a RCPT).
class SmtpTranscript {
 public:
  void sent(std::string_view data);      // CURLINFO_HEADER_OUT
  void received(std::string_view data);  // CURLINFO_HEADER_IN
  const std::vector<SmtpReply>& replies() const { return replies_; }
  void clear();

 private:
  void command_line(std::string_view line);
  void reply_line(std::string_view line);

  std::vector<SmtpReply> replies_;
  std::vector<SmtpReply> pending_;  // commands sent, not answered yet
  SmtpReply partial_;               // a multi-line reply being read
  bool in_reply_ = false;
  std::string out_buffer_, in_buffer_;
};

enum class SmtpVerdict { sent, retry, failed };

struct SmtpOutcome {
  SmtpVerdict verdict = SmtpVerdict::retry;
  std::string error;     // for the log and the delivery's error text
  std::string response;  // the server's reply, stored as the response
  std::vector<std::string> rejected;  // "address: 550 5.1.1 ..." per refused recipient
};

// transfer_ok: libcurl reported success. curl_error: its error text when not.
SmtpOutcome judge_smtp(bool transfer_ok, std::string_view curl_error, const SmtpTranscript& transcript);

}  // namespace ferry::email
