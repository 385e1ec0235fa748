#include "imap_source.hpp"

#include <algorithm>
#include <cctype>

namespace ferry::email {

namespace {

ReadMode mode_named(const std::string& s) {
  if (s == "body") return ReadMode::body;
  if (s == "attachments") return ReadMode::attachments;
  return ReadMode::mail;
}

// Waiting this long before trying the marks again after the connection failed.
constexpr std::chrono::seconds kActionRetry{5};
// A connection unused this long is checked with NOOP before it is used.
constexpr std::chrono::seconds kIdleCheck{20};

}  // namespace

ImapSource::ImapSource(ferry::Instance self, const ferry::Config& c)
    : Source(self),
      server_(ServerSettings::from(c)),
      folder_(c.string("folder", "INBOX")),
      search_(c.string("search", "UNSEEN")),
      pattern_(c.string("attachment_pattern", "*")),
      content_type_(c.string("content_type")),
      after_(c.string("after", "seen")),
      move_to_(c.string("move_to")),
      error_folder_(c.string("error_folder")),
      mode_(mode_named(c.string("mode", "mail"))),
      poll_interval_ms_(c.integer("poll_interval_ms", 60000)),
      own_timer_(c.boolean("own_timer", true)),
      max_mail_bytes_(static_cast<uint64_t>(c.integer("max_mail_bytes", 26214400))),
      max_per_poll_(static_cast<size_t>(c.integer("max_per_poll", 50))) {
  for (const auto& [key, value] : {std::pair<const char*, const std::string&>{"folder", folder_}, {"move_to", move_to_},
                                   {"error_folder", error_folder_}, {"search", search_}}) {
    if (value.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos)
      throw ferry::Error(std::string(key) + ": must not contain CR, LF or NUL");
  }
  if (after_ == "move" && move_to_.empty()) throw ferry::Error("after is \"move\" but move_to is empty");
  if (after_ != "move" && !move_to_.empty()) throw ferry::Error("move_to is set but after is \"" + after_ + "\", not \"move\"");
  if (move_to_ == folder_) throw ferry::Error("move_to must differ from folder ('" + folder_ + "')");
  if (error_folder_ == folder_) throw ferry::Error("error_folder must differ from folder ('" + folder_ + "')");
  account_ = server_.username + "@" + server_.host;
  server_name_ = server_.describe("imap", "imaps");
}

ImapSource::~ImapSource() { stop(); }

namespace {

// Whether the search criteria leave out mail flagged \Seen (a plain text
// check: UNSEEN or NOT SEEN somewhere in them).
bool excludes_seen(std::string search) {
  for (char& c : search) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return search.find("UNSEEN") != std::string::npos || search.find("NOT SEEN") != std::string::npos;
}

}  // namespace

void ImapSource::start() {
  // Mail the reader only flags \Seen stays in the folder; a search that
  // finds it again reads it every poll (a duplicate each time).
  if ((after_ == "seen" || error_folder_.empty()) && !excludes_seen(search_))
    self().warn("search '" + search_ + "' does not leave out seen mail: mails the reader flags seen (" +
                (after_ == "seen" ? "after: seen" : "rejected ones, as error_folder is empty") +
                ") are read again at every poll; add UNSEEN");
  stopping_ = false;
  thread_ = std::thread([this] { run(); });
  if (own_timer_) {
    timer_id_ = timer(0, static_cast<uint64_t>(poll_interval_ms_), [this] { request_poll(); });
    if (timer_id_ == 0) throw ferry::Error("the host refused to start the poll timer");
    self().info("reading " + folder_ + " at " + server_name_ + " every " + std::to_string(poll_interval_ms_) + " ms");
  } else {
    self().info("own_timer is false: " + folder_ + " at " + server_name_ +
                " is read only when the channel's schedule polls");
  }
}

void ImapSource::stop() {
  if (timer_id_ != 0) cancel_timer(timer_id_);
  timer_id_ = 0;
  if (!thread_.joinable()) return;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;  // also interrupts IMAP I/O in progress
  }
  wake_.notify_all();
  thread_.join();
}

void ImapSource::poll() { request_poll(); }

void ImapSource::request_poll() {
  {
    std::lock_guard lock(mutex_);
    poll_requested_ = true;  // several requests while one poll runs make one more poll
  }
  wake_.notify_all();
}

void ImapSource::run() {
  for (;;) {
    std::vector<Finished> work;
    bool poll = false;
    {
      std::unique_lock lock(mutex_);
      for (;;) {
        if (stopping_) break;
        const bool actions_due = !finished_.empty() && std::chrono::steady_clock::now() >= retry_actions_at_;
        if (poll_requested_ || actions_due) break;
        if (finished_.empty()) wake_.wait(lock);
        else wake_.wait_until(lock, retry_actions_at_);
      }
      if (stopping_) break;
      if (std::chrono::steady_clock::now() >= retry_actions_at_) work.swap(finished_);
      poll = std::exchange(poll_requested_, false);
    }
    // Marks first: a mail whose message is stored should not wait behind a
    // poll, and a poll must not read it again.
    if (!work.empty()) apply_all(std::move(work));
    if (poll) poll_once();
  }
  drain();
}

void ImapSource::problem(const std::string& text) {
  if (stopping_) return;  // an interrupted command is not a problem worth logging
  self().count("errors");
  if (text == last_problem_) {
    self().debug(text);
    return;
  }
  last_problem_ = text;
  self().warn(text + " (will keep trying)");
}

bool ImapSource::ensure_session() {
  if (session_ && session_->connected()) {
    // Servers close idle connections (RFC 3501 allows after 30 minutes,
    // some sooner): after a quiet spell, check before relying on it.
    if (std::chrono::steady_clock::now() - session_->last_answer() < kIdleCheck) return true;
    try {
      session_->expect_ok("NOOP", "NOOP");
      return true;
    } catch (const SessionError& e) {
      self().debug(std::string("the idle IMAP connection is gone (") + e.what() + "); connecting again");
    } catch (const CommandError&) {
      session_->close();
    }
  }
  if (!session_) session_ = std::make_unique<ImapSession>(server_, static_cast<size_t>(max_mail_bytes_) + 65536);
  try {
    session_->connect(&stopping_);
    // Folders the reader moves mail into; "already exists" is fine.
    for (const std::string* f : {&move_to_, &error_folder_})
      if (!f->empty()) session_->command("CREATE " + quote_mailbox(*f));
    const auto reply = session_->expect_ok("SELECT " + quote_mailbox(folder_), "cannot open folder " + folder_);
    const auto validity = find_uidvalidity(reply.untagged);
    if (!validity) {
      session_->close();
      problem("folder " + folder_ + " at " + server_name_ + ": the server gave no UIDVALIDITY");
      return false;
    }
    if (uidvalidity_ != 0 && *validity != uidvalidity_)
      self().warn("folder " + folder_ + " was renumbered (UIDVALIDITY " + std::to_string(uidvalidity_) + " -> " +
                  std::to_string(*validity) + "); mails in flight are not marked, they are read again as duplicates");
    uidvalidity_ = *validity;
  } catch (const SessionError& e) {
    problem("cannot connect to " + server_name_ + ": " + e.what());
    return false;
  } catch (const CommandError& e) {
    session_->close();
    problem(std::string(e.what()) + " (" + server_name_ + ")");
    return false;
  } catch (const ImapError& e) {
    session_->close();
    problem(e.what());
    return false;
  }
  if (!last_problem_.empty()) self().info("connected to " + server_name_ + " again");
  else self().debug("connected to " + server_name_);
  last_problem_.clear();
  return true;
}

void ImapSource::poll_once() {
  if (!ensure_session()) return;
  try {
    session_->expect_ok("NOOP", "NOOP");  // lets the server report new mail
    std::vector<uint32_t> uids = find_search_uids(session_->expect_ok("UID SEARCH " + search_, "UID SEARCH " + search_).untagged);
    {
      std::lock_guard lock(mutex_);
      std::erase_if(uids, [this](uint32_t u) { return in_flight_.count(u) != 0; });
    }
    if (uids.empty()) return;
    const bool more = uids.size() > max_per_poll_;
    if (more) uids.resize(max_per_poll_);
    std::map<uint32_t, std::optional<uint64_t>> sizes;
    for (const FetchData& f : find_fetches(session_->expect_ok("UID FETCH " + uid_set(uids) + " (UID RFC822.SIZE)",
                                                               "UID FETCH (sizes)")
                                               .untagged))
      sizes[f.uid] = f.size;
    size_t taken = 0;
    bool all = true;
    for (const uint32_t uid : uids) {
      if (stopping_) return;
      const auto it = sizes.find(uid);
      if (it == sizes.end()) continue;  // expunged by someone else meanwhile
      if (!take(uid, it->second)) {
        all = false;
        break;
      }
      ++taken;
    }
    if (taken > 0) self().debug("read " + std::to_string(taken) + " mail(s) from " + folder_);
    if (more && all) request_poll();  // the rest of the folder, at once
  } catch (const SessionError& e) {
    problem("IMAP connection to " + server_name_ + " failed: " + e.what());
  } catch (const CommandError& e) {
    problem(std::string(e.what()) + " (" + server_name_ + ")");
  }
}

bool ImapSource::take(uint32_t uid, std::optional<uint64_t> size) {
  const std::string label = "mail UID " + std::to_string(uid) + " in " + folder_;
  if (size && *size > max_mail_bytes_) {
    reject_now(uid, "it is " + std::to_string(*size) + " bytes, more than max_mail_bytes " + std::to_string(max_mail_bytes_));
    return true;
  }
  const auto reply = session_->expect_ok("UID FETCH " + std::to_string(uid) + " (UID BODY.PEEK[])", "UID FETCH " + std::to_string(uid));
  std::optional<std::string> body;
  for (FetchData& f : find_fetches(reply.untagged))
    if (f.uid == uid && f.body) body = std::move(f.body);
  if (!body) return true;  // gone meanwhile
  self().count("mails_read");
  const Extraction extraction = extract_messages(*body, mode_, pattern_, MailOrigin{account_, folder_, uidvalidity_, uid});
  if (!extraction.problem.empty()) {
    reject_now(uid, extraction.problem);
    return true;
  }
  return emit_all(uid, extraction);
}

bool ImapSource::emit_all(uint32_t uid, const Extraction& extraction) {
  {
    // Registered before the first emit: its completion may come on another
    // thread before emit() returns.
    std::lock_guard lock(mutex_);
    InFlight entry;
    entry.uidvalidity = uidvalidity_;
    entry.pending = extraction.messages.size();
    in_flight_[uid] = entry;
  }
  for (size_t i = 0; i < extraction.messages.size(); ++i) {
    const ExtractedMessage& em = extraction.messages[i];
    ferry::Message m = ferry::Message::create(em.content, content_type_.empty() ? em.content_type : content_type_);
    for (const auto& [k, v] : em.meta) m.set_meta(k, v);
    const ferry_status_t s = emit(m, [this, uid](ferry::EmitResult r) { on_emitted(uid, r); });
    if (s != FERRY_OK) {
      // Not taken: the mail stays as it is and a later poll reads it again
      // (messages of it that were stored are then duplicates).
      not_taken(uid, extraction.messages.size() - i);
      if (s == FERRY_RETRY) self().debug("channel busy; mail UID " + std::to_string(uid) + " waits for the next poll");
      else if (s != FERRY_STOPPING) self().error("emit refused mail UID " + std::to_string(uid) + " with status " + std::to_string(s));
      return false;
    }
    self().count("messages_emitted");
  }
  return true;
}

void ImapSource::on_emitted(uint32_t uid, const ferry::EmitResult& r) {
  bool wake = false;
  {
    std::lock_guard lock(mutex_);
    const auto it = in_flight_.find(uid);
    if (it == in_flight_.end()) return;
    InFlight& e = it->second;
    // OK (a duplicate too) and FILTERED: stored. ERROR: stored but rejected
    // (response.when transformed/delivered). Anything else: not stored.
    if (r.status == FERRY_OK || r.status == FERRY_FILTERED) {
      e.message_ids.push_back(r.message_id);
      if (r.status == FERRY_OK && !r.error.empty()) self().debug("mail UID " + std::to_string(uid) + ": " + std::string(r.error));
    } else if (r.status == FERRY_ERROR) {
      e.message_ids.push_back(r.message_id);
      if (e.verdict == Verdict::done) {
        e.verdict = Verdict::rejected;
        e.reason = std::string(r.error);
      }
    } else {
      e.verdict = Verdict::leave;
      e.reason = std::string(r.error);
    }
    if (e.pending > 0) --e.pending;
    if (e.pending == 0) {
      settle_locked(uid);
      wake = true;
    }
  }
  if (wake) wake_.notify_all();
}

void ImapSource::not_taken(uint32_t uid, size_t count) {
  std::lock_guard lock(mutex_);
  const auto it = in_flight_.find(uid);
  if (it == in_flight_.end()) return;
  it->second.verdict = Verdict::leave;
  it->second.pending -= std::min(count, it->second.pending);
  if (it->second.pending == 0) settle_locked(uid);
}

void ImapSource::settle_locked(uint32_t uid) {
  const auto it = in_flight_.find(uid);
  if (it->second.verdict == Verdict::leave) {
    self().count("mails_retried");
    self().debug("mail UID " + std::to_string(uid) + " not stored (" + it->second.reason + "); it is read again later");
    in_flight_.erase(it);  // nothing to mark: the next poll offers it again
    return;
  }
  finished_.push_back(Finished{uid, it->second});  // stays in in_flight_ until marked
}

void ImapSource::forget(uint32_t uid) {
  std::lock_guard lock(mutex_);
  in_flight_.erase(uid);
}

void ImapSource::apply_all(std::vector<Finished> work) {
  for (size_t i = 0; i < work.size(); ++i) {
    if (!ensure_session()) {
      std::lock_guard lock(mutex_);
      finished_.insert(finished_.end(), work.begin() + static_cast<std::ptrdiff_t>(i), work.end());
      retry_actions_at_ = std::chrono::steady_clock::now() + kActionRetry;
      return;
    }
    try {
      apply(work[i]);
      forget(work[i].uid);
    } catch (const SessionError& e) {
      problem("IMAP connection to " + server_name_ + " failed while marking mail: " + e.what());
      std::lock_guard lock(mutex_);
      finished_.insert(finished_.end(), work.begin() + static_cast<std::ptrdiff_t>(i), work.end());
      retry_actions_at_ = std::chrono::steady_clock::now() + kActionRetry;
      return;
    } catch (const CommandError& e) {
      // The server refuses: the mail stays; it is read again, recognised as
      // a duplicate, and the mark is tried again then.
      self().error("mail UID " + std::to_string(work[i].uid) + " is stored but could not be marked: " + e.what());
      forget(work[i].uid);
    }
  }
}

void ImapSource::apply(const Finished& f) {
  std::string ids;
  for (const int64_t id : f.state.message_ids) ids += (ids.empty() ? "" : ",") + std::to_string(id);
  const std::string label = "mail UID " + std::to_string(f.uid) + " (message " + ids + ")";
  if (f.state.uidvalidity != uidvalidity_) {
    self().warn(label + ": the folder was renumbered since it was read; not marked");
    return;
  }
  if (f.state.verdict == Verdict::done) {
    after_done(f.uid);
    self().count("mails_done");
    self().debug(label + ": " + (after_ == "seen" ? "marked seen" : after_ == "move" ? "moved to " + move_to_ : "deleted"));
  } else {
    after_rejected(f.uid);
    self().count("mails_rejected");
    self().warn(label + " was rejected by the channel: " + f.state.reason +
                (error_folder_.empty() ? "; flagged seen" : "; moved to " + error_folder_));
  }
}

void ImapSource::reject_now(uint32_t uid, const std::string& reason) {
  self().count("mails_rejected");
  self().warn("mail UID " + std::to_string(uid) + " in " + folder_ + " not taken: " + reason +
              (error_folder_.empty() ? "; flagged seen" : "; moved to " + error_folder_));
  try {
    after_rejected(uid);
  } catch (const CommandError& e) {
    self().error("mail UID " + std::to_string(uid) + " could not be marked: " + e.what());
  }
}

void ImapSource::after_done(uint32_t uid) {
  const std::string u = std::to_string(uid);
  if (after_ == "move") return move(uid, move_to_);
  if (after_ == "delete") {
    session_->expect_ok("UID STORE " + u + " +FLAGS.SILENT (\\Deleted)", "flag \\Deleted");
    return expunge(uid);
  }
  session_->expect_ok("UID STORE " + u + " +FLAGS.SILENT (\\Seen)", "flag \\Seen");
}

void ImapSource::after_rejected(uint32_t uid) {
  if (!error_folder_.empty()) return move(uid, error_folder_);
  session_->expect_ok("UID STORE " + std::to_string(uid) + " +FLAGS.SILENT (\\Seen)", "flag \\Seen");
}

void ImapSource::move(uint32_t uid, const std::string& folder) {
  const std::string u = std::to_string(uid);
  session_->expect_ok("UID STORE " + u + " +FLAGS.SILENT (\\Seen)", "flag \\Seen");
  if (session_->capabilities().count("MOVE") != 0) {
    session_->expect_ok("UID MOVE " + u + " " + quote_mailbox(folder), "move to " + folder);
    return;
  }
  session_->expect_ok("UID COPY " + u + " " + quote_mailbox(folder), "copy to " + folder);
  session_->expect_ok("UID STORE " + u + " +FLAGS.SILENT (\\Deleted)", "flag \\Deleted");
  expunge(uid);
}

void ImapSource::expunge(uint32_t uid) {
  // Without UIDPLUS, EXPUNGE also removes other mails flagged \Deleted.
  if (session_->capabilities().count("UIDPLUS") != 0) session_->expect_ok("UID EXPUNGE " + std::to_string(uid), "expunge");
  else session_->expect_ok("EXPUNGE", "expunge");
}

void ImapSource::drain() {
  // Every emit is answered before stop() (host contract); mark what can be
  // marked quickly on the open connection. What is left is read again at
  // the next start and recognised as duplicates.
  std::vector<Finished> work;
  {
    std::lock_guard lock(mutex_);
    work.swap(finished_);
  }
  if (session_ && session_->connected()) {
    session_->set_abort(nullptr);
    session_->set_timeout(std::min(std::chrono::milliseconds(server_.command_timeout_ms), std::chrono::milliseconds(5000)));
    for (const Finished& f : work) {
      try {
        apply(f);
      } catch (const std::exception& e) {
        self().warn("mail UID " + std::to_string(f.uid) + " not marked before stopping (" + e.what() +
                    "); it is read again at the next start and recognised as a duplicate");
        break;
      }
    }
    session_->close();
  } else if (!work.empty()) {
    self().info(std::to_string(work.size()) +
                " stored mail(s) not marked before stopping; they are read again at the next start and recognised as duplicates");
  }
  session_.reset();
}

}  // namespace ferry::email
