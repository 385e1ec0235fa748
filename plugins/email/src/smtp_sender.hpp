// email.smtp: sends each message as a mail through an SMTP server (libcurl:
// protocol, STARTTLS/TLS, AUTH). The mail is built in send(); the transfer
// runs on the sender's own thread, which completes the delivery.
#pragma once

#include <ferry/plugin.hpp>

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "curl_session.hpp"
#include "mail_composer.hpp"
#include "server_settings.hpp"
#include "smtp_transcript.hpp"

namespace ferry::email {

namespace smtp_keys {
inline constexpr ferry::Key security =
    ferry::Key::string("security")
        .describe("none, starttls (required), starttls_optional (if offered) or tls (implicit, smtps)")
        .fallback("\"starttls\"")
        .one_of(security_modes);
inline constexpr ferry::Key username =
    ferry::Key::string("username").describe("Login for SMTP AUTH (\"\": no AUTH)").fallback("\"\"");
}  // namespace smtp_keys

class SmtpSender : public ferry::Destination {
 public:
  static constexpr const char* type = "email.smtp";
  static constexpr const char* version = "1.0.0";
  static constexpr const char* description = "Sends each message as an email through an SMTP server";
  static constexpr std::array config_keys = {
      keys::host,
      keys::port,
      smtp_keys::security,
      keys::tls_verify,
      keys::tls_ca,
      smtp_keys::username,
      keys::password,
      keys::auth,
      keys::auth_without_tls,
      keys::connect_timeout_ms,
      keys::command_timeout_ms,
      ferry::Key::integer("timeout_ms").describe("Give up on one mail's whole transfer after this long").fallback("300000").range(1000, 86400000),
      ferry::Key::string("helo_name").describe("Name sent with EHLO (default: this machine's host name)").fallback("\"\""),
      ferry::Key::boolean("keep_connection").describe("Reuse the connection for the next mail").fallback("true"),
      ferry::Key::boolean("all_recipients_required")
          .describe("Send nothing unless the server accepts every recipient (default: send to those it accepts)")
          .fallback("false"),
      keys::from,
      keys::envelope_from,
      keys::to,
      keys::cc,
      keys::bcc,
      keys::reply_to,
      keys::subject,
      keys::text,
      keys::html,
      keys::body_encoding,
      keys::attachments,
      keys::headers,
      keys::message_id_domain,
  };

  SmtpSender(ferry::Instance self, const ferry::Config& config);
  ~SmtpSender() override;
  void start() override;
  void stop() override;
  void send(ferry::Delivery& delivery) override;

 private:
  struct Job {
    std::shared_ptr<ferry::Delivery> delivery;
    int64_t message_id = 0;
    std::string envelope_from;
    std::vector<std::string> recipients;
    std::string data;  // the whole mail, CRLF lines
    size_t offset = 0;
  };
  void run();
  void transfer(Job& job);
  static size_t read_mail(char* buffer, size_t size, size_t count, void* user);
  static int on_debug(CURL*, curl_infotype type, char* data, size_t size, void* user);

  ServerSettings server_;
  MailComposer composer_;
  std::string url_, server_name_;
  int64_t timeout_ms_;
  bool keep_connection_, all_recipients_required_;

  std::unique_ptr<CurlEasy> curl_;  // used on the worker thread only
  SmtpTranscript transcript_;

  std::mutex mutex_;
  std::condition_variable wake_;
  std::optional<Job> job_;  // waiting for the worker
  bool busy_ = false;       // a job is waiting or being sent
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace ferry::email
