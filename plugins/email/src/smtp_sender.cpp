#include "smtp_sender.hpp"

#include <ferry/template/template.hpp>

#include <cstring>

namespace ferry::email {

SmtpSender::SmtpSender(ferry::Instance self, const ferry::Config& c)
    : Destination(self),
      server_(ServerSettings::from(c)),
      composer_(c),
      timeout_ms_(c.integer("timeout_ms", 300000)),
      keep_connection_(c.boolean("keep_connection", true)),
      all_recipients_required_(c.boolean("all_recipients_required")) {
  const std::string helo = c.string("helo_name");
  if (!helo.empty() && !valid_address("x@" + helo)) throw ferry::Error("helo_name: '" + helo + "' is not a host name");
  url_ = server_.url("smtp", "smtps", helo);
  server_name_ = server_.describe("smtp", "smtps");
  curl_ = std::make_unique<CurlEasy>();
}

SmtpSender::~SmtpSender() { stop(); }

void SmtpSender::start() {
  CURL* h = curl_->get();
  curl_->apply(server_, url_, "smtp,smtps");
  curl_->abort_when(&stopping_);
  // The debug callback is how the server's replies (per RCPT too) are seen;
  // it needs VERBOSE, and nothing is printed since the callback takes it.
  curl_easy_setopt(h, CURLOPT_VERBOSE, 1L);
  curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, &on_debug);
  curl_easy_setopt(h, CURLOPT_DEBUGDATA, &transcript_);
  curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(h, CURLOPT_READFUNCTION, &read_mail);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_ms_));
  curl_easy_setopt(h, CURLOPT_FORBID_REUSE, keep_connection_ ? 0L : 1L);
  curl_easy_setopt(h, CURLOPT_MAIL_RCPT_ALLLOWFAILS, all_recipients_required_ ? 0L : 1L);
  stopping_ = false;
  thread_ = std::thread([this] { run(); });
  self().info("sending mail through " + server_name_);
}

void SmtpSender::stop() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;  // also aborts a transfer in progress (within about a second)
  }
  wake_.notify_all();
  thread_.join();
  std::optional<Job> left;
  {
    std::lock_guard lock(mutex_);
    left.swap(job_);
    busy_ = false;
  }
  if (left) left->delivery->complete(FERRY_RETRY, {}, "destination stopping");
}

void SmtpSender::send(ferry::Delivery& delivery) {
  const ferry::Message m = delivery.message();
  // Building the mail is quick and only depends on the message: a message
  // that cannot become a mail fails here, before any connection.
  Composed composed = composer_.compose(m, std::string(self().channel()));
  Job job;
  job.message_id = m.id();
  job.envelope_from = std::move(composed.envelope_from);
  job.recipients = std::move(composed.recipients);
  job.data = build_message(composed.mail, [] { return ferry::tmpl::random_hex(12); });
  {
    std::lock_guard lock(mutex_);
    if (stopping_ || !thread_.joinable()) throw ferry::RetryLater("destination stopping");
    if (busy_) throw ferry::RetryLater("a mail is still being sent");  // the host sends one at a time
    job.delivery = std::make_shared<ferry::Delivery>(std::move(delivery));
    job_.emplace(std::move(job));
    busy_ = true;
  }
  wake_.notify_all();
}

void SmtpSender::run() {
  for (;;) {
    std::optional<Job> job;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || job_.has_value(); });
      if (stopping_) return;  // stop() completes a job that was not started
      job.swap(job_);
    }
    transfer(*job);
    std::lock_guard lock(mutex_);
    busy_ = false;
  }
}

void SmtpSender::transfer(Job& job) {
  CURL* h = curl_->get();
  curl_slist* rcpt = nullptr;
  for (const std::string& r : job.recipients) rcpt = curl_slist_append(rcpt, ("<" + r + ">").c_str());
  const std::string from = "<" + job.envelope_from + ">";
  curl_easy_setopt(h, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
  curl_easy_setopt(h, CURLOPT_READDATA, &job);
  curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(job.data.size()));
  transcript_.clear();
  curl_->clear_error();
  const CURLcode rc = curl_easy_perform(h);
  curl_easy_setopt(h, CURLOPT_MAIL_RCPT, nullptr);
  curl_slist_free_all(rcpt);

  if (rc == CURLE_ABORTED_BY_CALLBACK) {
    job.delivery->complete(FERRY_RETRY, {}, "destination stopping (transfer interrupted)");
    return;
  }
  const SmtpOutcome outcome = judge_smtp(rc == CURLE_OK, rc == CURLE_OK ? "" : curl_->failure(rc), transcript_);
  const std::string id = "message " + std::to_string(job.message_id);
  ferry::Message response;
  if (!outcome.response.empty()) response = ferry::Message::create(outcome.response, "text/plain");
  switch (outcome.verdict) {
    case SmtpVerdict::sent:
      self().count("mails_sent");
      if (!outcome.rejected.empty()) {
        self().count("recipients_rejected", outcome.rejected.size());
        self().warn(id + ": " + outcome.error);
      } else {
        self().debug(id + " sent to " + std::to_string(job.recipients.size()) + " recipient(s): " + outcome.response);
      }
      // The rejected recipients stay in the error text and the response.
      job.delivery->complete(FERRY_OK, response, outcome.error);
      return;
    case SmtpVerdict::retry:
      job.delivery->complete(FERRY_RETRY, response, outcome.error);
      return;
    case SmtpVerdict::failed:
      self().count("mails_failed");
      if (!outcome.rejected.empty()) self().count("recipients_rejected", outcome.rejected.size());
      job.delivery->complete(FERRY_ERROR, response, outcome.error);
      return;
  }
}

size_t SmtpSender::read_mail(char* buffer, size_t size, size_t count, void* user) {
  auto* job = static_cast<Job*>(user);
  const size_t n = std::min(size * count, job->data.size() - job->offset);
  std::memcpy(buffer, job->data.data() + job->offset, n);
  job->offset += n;
  return n;
}

int SmtpSender::on_debug(CURL*, curl_infotype type, char* data, size_t size, void* user) {
  auto* transcript = static_cast<SmtpTranscript*>(user);
  if (type == CURLINFO_HEADER_OUT) transcript->sent(std::string_view(data, size));
  else if (type == CURLINFO_HEADER_IN) transcript->received(std::string_view(data, size));
  return 0;
}

}  // namespace ferry::email
