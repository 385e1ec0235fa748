// email.imap: reads new mail from an IMAP folder on an interval (or when
// the channel's schedule polls) and emits each mail, its text body, or each
// matching attachment as a message. A mail is marked seen, moved or deleted
// only after the channel has stored its message(s); if Ferry dies first, the
// mail is read again and its dedupe_key (the Message-ID) keeps the channel
// from storing it twice. All IMAP work runs on the reader's own thread.
#pragma once

#include <ferry/plugin.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "imap_session.hpp"
#include "mail_extract.hpp"
#include "server_settings.hpp"

namespace ferry::email {

inline constexpr const char* const read_modes[] = {"mail", "body", "attachments", nullptr};
inline constexpr const char* const after_actions[] = {"seen", "move", "delete", nullptr};

class ImapSource : public ferry::Source {
 public:
  static constexpr const char* type = "email.imap";
  static constexpr const char* version = "1.0.0";
  static constexpr const char* description =
      "Reads new mail from an IMAP folder; marks, moves or deletes each mail once the channel stored it";
  static constexpr std::array config_keys = {
      keys::host,
      keys::port,
      ferry::Key::string("security")
          .describe("none, starttls (required), starttls_optional (if offered) or tls (implicit, imaps)")
          .fallback("\"tls\"")
          .one_of(security_modes),
      keys::tls_verify,
      keys::tls_ca,
      ferry::Key::string("username").describe("Mailbox login").required().min(1),
      keys::password,
      keys::auth,
      keys::auth_without_tls,
      keys::connect_timeout_ms,
      keys::command_timeout_ms,
      ferry::Key::string("folder").describe("Folder to read").fallback("\"INBOX\"").min(1),
      ferry::Key::string("search")
          .describe("IMAP SEARCH criteria of the mails to read (must exclude what `after` leaves behind)")
          .fallback("\"UNSEEN\"")
          .min(1),
      ferry::Key::integer("poll_interval_ms").describe("Interval of the reader's own poll timer").fallback("60000").range(100, 86400000),
      ferry::Key::boolean("own_timer")
          .describe("Poll on the reader's own timer; false: only when the channel's schedule polls")
          .fallback("true"),
      ferry::Key::string("mode")
          .describe("mail (the whole mail), body (its text), attachments (one message per matching attachment)")
          .fallback("\"mail\"")
          .one_of(read_modes),
      ferry::Key::string("attachment_pattern")
          .describe("Glob for attachment file names (mode attachments), case-insensitive")
          .fallback("\"*\"")
          .min(1),
      ferry::Key::string("content_type")
          .describe("Content type of the messages (default: message/rfc822, or the body's or attachment's type)")
          .fallback("\"\""),
      ferry::Key::string("after")
          .describe("What happens to a mail once stored: seen (flag \\Seen), move (to move_to), delete")
          .fallback("\"seen\"")
          .one_of(after_actions),
      ferry::Key::string("move_to").describe("Folder for after: move (created if missing)").fallback("\"\""),
      ferry::Key::string("error_folder")
          .describe("Folder for mails that cannot be taken or that the channel rejected (\"\": flag them \\Seen)")
          .fallback("\"\""),
      ferry::Key::integer("max_mail_bytes").describe("Larger mails are not read (bytes)").fallback("26214400").range(1024, 1073741824),
      ferry::Key::integer("max_per_poll").describe("Mails read per poll at most (the next poll goes on at once)").fallback("50").range(1, 10000),
  };

  ImapSource(ferry::Instance self, const ferry::Config& config);
  ~ImapSource() override;
  void start() override;
  void stop() override;
  void poll() override;

 private:
  enum class Verdict { done, rejected, leave };  // ordered: the worst outcome of a mail's messages wins
  struct InFlight {
    uint32_t uidvalidity = 0;
    size_t pending = 0;
    Verdict verdict = Verdict::done;
    std::string reason;
    std::vector<int64_t> message_ids;
  };
  struct Finished {
    uint32_t uid = 0;
    InFlight state;
  };

  void request_poll();
  void run();
  bool ensure_session();
  void poll_once();
  // Reads one mail and emits its messages; false when the poll should end.
  bool take(uint32_t uid, std::optional<uint64_t> size);
  bool emit_all(uint32_t uid, const Extraction& extraction);
  void on_emitted(uint32_t uid, const ferry::EmitResult& r);
  void not_taken(uint32_t uid, size_t count);
  void settle_locked(uint32_t uid);  // mutex_ held
  void apply_all(std::vector<Finished> work);
  void apply(const Finished& f);
  void reject_now(uint32_t uid, const std::string& reason);
  void after_done(uint32_t uid);
  void after_rejected(uint32_t uid);
  void move(uint32_t uid, const std::string& folder);
  void expunge(uint32_t uid);
  void drain();
  void problem(const std::string& text);  // logged once until it changes
  void forget(uint32_t uid);

  ServerSettings server_;
  std::string folder_, search_, pattern_, content_type_, after_, move_to_, error_folder_;
  ReadMode mode_;
  int64_t poll_interval_ms_;
  bool own_timer_;
  uint64_t max_mail_bytes_;
  size_t max_per_poll_;
  std::string account_, server_name_;

  // Worker thread only.
  std::unique_ptr<ImapSession> session_;
  uint32_t uidvalidity_ = 0;
  std::string last_problem_;

  std::mutex mutex_;
  std::condition_variable wake_;
  bool poll_requested_ = false;
  std::map<uint32_t, InFlight> in_flight_;  // emitted, or finished and not yet marked
  std::vector<Finished> finished_;          // waiting for their IMAP action
  std::chrono::steady_clock::time_point retry_actions_at_{};
  std::atomic<bool> stopping_{false};
  std::thread thread_;
  uint64_t timer_id_ = 0;
};

}  // namespace ferry::email
