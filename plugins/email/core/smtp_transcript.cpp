#include "smtp_transcript.hpp"

#include <cctype>

namespace ferry::email {

namespace {

std::string upper_word(std::string_view line) {
  std::string out;
  for (const char c : line) {
    if (c == ' ' || c == ':') break;
    out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return out;
}

// Splits buffered data into complete lines (without CR LF).
template <class F>
void each_line(std::string& buffer, std::string_view data, F&& f) {
  buffer.append(data);
  size_t start = 0;
  for (size_t nl; (nl = buffer.find('\n', start)) != std::string::npos; start = nl + 1) {
    std::string_view line(buffer.data() + start, nl - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    f(line);
  }
  buffer.erase(0, start);
}

std::string join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (const std::string& s : items) {
    if (!out.empty()) out += sep;
    out += s;
  }
  return out;
}

std::string one_line(const std::string& text) {
  std::string out = text;
  for (char& c : out)
    if (c == '\n') c = ' ';
  return out;
}

std::string stage_name(const std::string& command) {
  if (command.empty()) return "connection greeting";
  if (command == "EHLO" || command == "HELO") return command;
  if (command == "STARTTLS") return "STARTTLS";
  if (command == "AUTH") return "authentication";
  if (command == "MAIL") return "MAIL FROM";
  if (command == "DATA") return "DATA";
  if (command == ".") return "message";
  return command;
}

}  // namespace

void SmtpTranscript::clear() { *this = SmtpTranscript(); }

void SmtpTranscript::sent(std::string_view data) {
  each_line(out_buffer_, data, [this](std::string_view line) { command_line(line); });
}

void SmtpTranscript::received(std::string_view data) {
  each_line(in_buffer_, data, [this](std::string_view line) { reply_line(line); });
}

void SmtpTranscript::command_line(std::string_view line) {
  SmtpReply c;
  // After a 334 the client sends SASL data (base64 credentials): keep only
  // that it belongs to AUTH.
  if (!replies_.empty() && replies_.back().code == 334 && pending_.empty()) {
    c.command = "AUTH";
  } else {
    c.command = upper_word(line);
    if (c.command == "RCPT") {
      const size_t open = line.find('<'), close = line.rfind('>');
      if (open != std::string_view::npos && close != std::string_view::npos && close > open)
        c.recipient = std::string(line.substr(open + 1, close - open - 1));
    }
  }
  pending_.push_back(std::move(c));
}

void SmtpTranscript::reply_line(std::string_view line) {
  if (line.size() < 3 || !std::isdigit(static_cast<unsigned char>(line[0])) ||
      !std::isdigit(static_cast<unsigned char>(line[1])) || !std::isdigit(static_cast<unsigned char>(line[2])))
    return;  // not a reply line
  const bool more = line.size() > 3 && line[3] == '-';
  if (!in_reply_) {
    in_reply_ = true;
    partial_ = SmtpReply();
    if (!pending_.empty()) {
      partial_.command = pending_.front().command;
      partial_.recipient = pending_.front().recipient;
      pending_.erase(pending_.begin());
    } else if (!replies_.empty() && replies_.back().command == "DATA" && replies_.back().code == 354) {
      partial_.command = ".";  // the answer to the message itself
    }
    partial_.code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
  } else {
    partial_.text += '\n';
  }
  partial_.text += line;
  if (!more) {
    in_reply_ = false;
    replies_.push_back(std::move(partial_));
  }
}

SmtpOutcome judge_smtp(bool transfer_ok, std::string_view curl_error, const SmtpTranscript& transcript) {
  SmtpOutcome out;
  const auto& replies = transcript.replies();
  bool any_temporary_rejection = false;
  size_t recipients = 0;
  for (const SmtpReply& r : replies) {
    if (r.command != "RCPT") continue;
    ++recipients;
    if (r.code >= 400) {
      out.rejected.push_back(r.recipient + ": " + one_line(r.text));
      if (r.code < 500) any_temporary_rejection = true;
    }
  }
  // The reply that decided things: libcurl says QUIT after a failure, and
  // the server's goodbye to that tells nothing.
  const SmtpReply* last = nullptr;
  for (auto it = replies.rbegin(); it != replies.rend() && last == nullptr; ++it)
    if (it->command != "QUIT") last = &*it;

  if (transfer_ok) {
    out.verdict = SmtpVerdict::sent;
    out.response = last != nullptr ? last->text : std::string();
    if (!out.rejected.empty()) {
      out.error = "sent to " + std::to_string(recipients - out.rejected.size()) + " of " + std::to_string(recipients) +
                  " recipients; rejected: " + join(out.rejected, "; ");
      out.response += "\nrejected recipients:\n" + join(out.rejected, "\n");
    }
    return out;
  }
  if (last == nullptr || last->code < 400) {
    // No refusal from the server: connection, TLS, timeout or abort.
    out.verdict = SmtpVerdict::retry;
    out.error = std::string(curl_error.empty() ? "transfer failed" : curl_error);
    return out;
  }
  out.response = last->text;
  const bool temporary = last->code < 500;
  if (last->command == "RCPT") {
    // Nothing was sent: every recipient was refused, or the first refusal
    // ended the transaction (all recipients required).
    out.verdict = any_temporary_rejection ? SmtpVerdict::retry : SmtpVerdict::failed;
    out.error = (out.rejected.size() == recipients ? "all recipients rejected: " : "recipient rejected, nothing sent: ") +
                join(out.rejected, "; ");
    out.response = join(out.rejected, "\n");
    return out;
  }
  if (last->command == "MAIL" || last->command == "DATA" || last->command == ".") {
    out.verdict = temporary ? SmtpVerdict::retry : SmtpVerdict::failed;
    out.error = stage_name(last->command) + " rejected: " + one_line(last->text);
    return out;
  }
  // Greeting, EHLO, STARTTLS, AUTH: about the server or the account, not
  // this message; failing the message would fail every other one too.
  out.verdict = SmtpVerdict::retry;
  out.error = stage_name(last->command) + " failed: " + one_line(last->text);
  return out;
}

}  // namespace ferry::email
