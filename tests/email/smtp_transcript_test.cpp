// Judging SMTP sessions as libcurl reports them (the lines are those of
// real sessions with aiosmtpd).
#include <catch2/catch.hpp>

#include <string>

#include "smtp_transcript.hpp"

using namespace ferry::email;

namespace {

SmtpTranscript session(std::initializer_list<std::pair<char, std::string>> lines) {
  SmtpTranscript t;
  for (const auto& [dir, line] : lines) {
    if (dir == '>') t.sent(line + "\r\n");
    else t.received(line + "\r\n");
  }
  return t;
}

}  // namespace

TEST_CASE("a clean session is sent, with the final reply as the response") {
  const auto t = session({{'<', "220 mail.test ESMTP"},
                          {'>', "EHLO host"},
                          {'<', "250-mail.test"},
                          {'<', "250 HELP"},
                          {'>', "MAIL FROM:<a@x.org>"},
                          {'<', "250 OK"},
                          {'>', "RCPT TO:<b@y.org>"},
                          {'<', "250 OK"},
                          {'>', "DATA"},
                          {'<', "354 End data with <CR><LF>.<CR><LF>"},
                          {'<', "250 2.0.0 queued as 42"}});
  REQUIRE(t.replies().size() == 6);
  CHECK(t.replies()[1].text == "250-mail.test\n250 HELP");
  CHECK(t.replies().back().command == ".");
  const SmtpOutcome o = judge_smtp(true, "", t);
  CHECK(o.verdict == SmtpVerdict::sent);
  CHECK(o.response == "250 2.0.0 queued as 42");
  CHECK(o.error.empty());
  CHECK(o.rejected.empty());
}

TEST_CASE("some recipients rejected: sent, and exactly those are reported") {
  const auto t = session({{'<', "220 x"},
                          {'>', "MAIL FROM:<a@x.org>"},
                          {'<', "250 OK"},
                          {'>', "RCPT TO:<b@y.org>"},
                          {'<', "250 OK"},
                          {'>', "RCPT TO:<bad@y.org>"},
                          {'<', "550 5.1.1 mailbox unavailable"},
                          {'>', "RCPT TO:<busy@y.org>"},
                          {'<', "450 4.2.1 mailbox busy"},
                          {'>', "DATA"},
                          {'<', "354 go"},
                          {'<', "250 queued"}});
  const SmtpOutcome o = judge_smtp(true, "", t);
  CHECK(o.verdict == SmtpVerdict::sent);
  REQUIRE(o.rejected.size() == 2);
  CHECK(o.rejected[0] == "bad@y.org: 550 5.1.1 mailbox unavailable");
  CHECK(o.rejected[1] == "busy@y.org: 450 4.2.1 mailbox busy");
  CHECK(o.error == "sent to 1 of 3 recipients; rejected: bad@y.org: 550 5.1.1 mailbox unavailable; busy@y.org: 450 4.2.1 mailbox busy");
  CHECK(o.response.find("rejected recipients:\nbad@y.org") != std::string::npos);
}

TEST_CASE("all recipients rejected: failed for 5xx, retried when any was 4xx") {
  auto t = session({{'<', "220 x"}, {'>', "MAIL FROM:<a@x.org>"}, {'<', "250 OK"}, {'>', "RCPT TO:<bad@y.org>"},
                    {'<', "550 5.1.1 no"}, {'>', "QUIT"}, {'<', "221 Bye"}});
  SmtpOutcome o = judge_smtp(false, "Failed sending data to the peer", t);
  CHECK(o.verdict == SmtpVerdict::failed);
  CHECK(o.error == "all recipients rejected: bad@y.org: 550 5.1.1 no");
  t = session({{'>', "RCPT TO:<bad@y.org>"}, {'<', "550 no"}, {'>', "RCPT TO:<busy@y.org>"}, {'<', "451 later"},
               {'>', "QUIT"}, {'<', "221 Bye"}});
  o = judge_smtp(false, "x", t);
  CHECK(o.verdict == SmtpVerdict::retry);
  CHECK(o.rejected.size() == 2);
}

TEST_CASE("4xx and 5xx answers to the message follow the code") {
  auto t = session({{'>', "DATA"}, {'<', "354 go"}, {'<', "451 4.3.0 try again later"}});
  SmtpOutcome o = judge_smtp(false, "Weird server reply", t);
  CHECK(o.verdict == SmtpVerdict::retry);
  CHECK(o.error == "message rejected: 451 4.3.0 try again later");
  CHECK(o.response == "451 4.3.0 try again later");
  t = session({{'>', "DATA"}, {'<', "354 go"}, {'<', "550-5.7.1 rejected"}, {'<', "550 5.7.1 by policy"}});
  o = judge_smtp(false, "x", t);
  CHECK(o.verdict == SmtpVerdict::failed);
  CHECK(o.response == "550-5.7.1 rejected\n550 5.7.1 by policy");
  t = session({{'>', "MAIL FROM:<a@x.org>"}, {'<', "553 sender not allowed"}});
  CHECK(judge_smtp(false, "x", t).verdict == SmtpVerdict::failed);
  t = session({{'>', "MAIL FROM:<a@x.org>"}, {'<', "421 closing"}});
  CHECK(judge_smtp(false, "x", t).verdict == SmtpVerdict::retry);
}

TEST_CASE("authentication failures are retried and credentials are never kept") {
  const auto t = session({{'<', "220 x"},
                          {'>', "AUTH LOGIN"},
                          {'<', "334 VXNlcm5hbWU6"},
                          {'>', "dXNlcg=="},
                          {'<', "334 UGFzc3dvcmQ6"},
                          {'>', "c2VjcmV0"},
                          {'<', "535 5.7.8 Authentication credentials invalid"}});
  const SmtpOutcome o = judge_smtp(false, "Login denied", t);
  CHECK(o.verdict == SmtpVerdict::retry);
  CHECK(o.error == "authentication failed: 535 5.7.8 Authentication credentials invalid");
  for (const SmtpReply& r : t.replies()) {
    CHECK(r.command.find("c2VjcmV0") == std::string::npos);
    CHECK(r.command.find("dXNlcg") == std::string::npos);
  }
  CHECK(t.replies().back().command == "AUTH");
}

TEST_CASE("no reply at all: a connection problem, retried with libcurl's words") {
  const SmtpOutcome o = judge_smtp(false, "Couldn't connect to server: Connection refused", SmtpTranscript());
  CHECK(o.verdict == SmtpVerdict::retry);
  CHECK(o.error == "Couldn't connect to server: Connection refused");
  const auto greeting = session({{'<', "554 no service"}});
  CHECK(judge_smtp(false, "x", greeting).verdict == SmtpVerdict::retry);
  CHECK(judge_smtp(false, "x", greeting).error == "connection greeting failed: 554 no service");
}

TEST_CASE("lines may arrive split across calls") {
  SmtpTranscript t;
  t.sent("RCPT TO:<a@b");
  t.sent(".org>\r\n");
  t.received("55");
  t.received("0 no such user\r\n");
  REQUIRE(t.replies().size() == 1);
  CHECK(t.replies()[0].recipient == "a@b.org");
  CHECK(t.replies()[0].code == 550);
}
