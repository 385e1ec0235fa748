// What a fetched mail becomes: messages, metadata and dedupe keys.
#include <catch2/catch.hpp>

#include <map>
#include <string>

#include "mail_extract.hpp"

using namespace ferry::email;

namespace {

const std::string kMail =
    "From: =?UTF-8?B?TGFib3IgU8O8ZA==?= <lab@example.org>\r\n"
    "To: clinic@example.org\r\n"
    "Subject: =?utf-8?q?Befund_f=C3=BCr_42?=\r\n"
    "Date: Thu, 26 Nov 2026 07:42:11 +0000\r\n"
    "Message-ID: <m1@example.org>\r\n"
    "Content-Type: multipart/mixed; boundary=B\r\n\r\n"
    "--B\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nsee attached\r\n"
    "--B\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"result.pdf\"\r\n"
    "Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQ=\r\n"
    "--B\r\nContent-Type: text/plain\r\nContent-Disposition: attachment; filename=notes.txt\r\n\r\nnotes\r\n"
    "--B--\r\n";

std::map<std::string, std::string> meta_of(const ExtractedMessage& m) {
  return {m.meta.begin(), m.meta.end()};
}

const MailOrigin kOrigin{"alice@imap.example.org", "INBOX", 77, 5};

}  // namespace

TEST_CASE("mail mode emits the whole mail with its metadata") {
  const Extraction e = extract_messages(kMail, ReadMode::mail, "*", kOrigin);
  REQUIRE(e.messages.size() == 1);
  CHECK(e.messages[0].content == kMail);
  CHECK(e.messages[0].content_type == "message/rfc822");
  auto meta = meta_of(e.messages[0]);
  CHECK(meta["email.from"] == "Labor S\xC3\xBC" "d <lab@example.org>");
  CHECK(meta["email.subject"] == "Befund f\xC3\xBCr 42");
  CHECK(meta["email.date"] == "Thu, 26 Nov 2026 07:42:11 +0000");
  CHECK(meta["email.message_id"] == "<m1@example.org>");
  CHECK(meta["email.uid"] == "5");
  CHECK(meta["email.folder"] == "INBOX");
  CHECK(meta["dedupe_key"] == "<m1@example.org>");
}

TEST_CASE("body mode emits the decoded text body") {
  const Extraction e = extract_messages(kMail, ReadMode::body, "*", kOrigin);
  REQUIRE(e.messages.size() == 1);
  CHECK(e.messages[0].content == "see attached");
  CHECK(e.messages[0].content_type == "text/plain");
  const Extraction none = extract_messages("Content-Type: application/pdf\r\n\r\nx", ReadMode::body, "*", kOrigin);
  CHECK(none.messages.empty());
  CHECK(none.problem == "the mail has no text/plain or text/html body");
}

TEST_CASE("attachments mode emits each matching attachment, keyed by its position") {
  const Extraction all = extract_messages(kMail, ReadMode::attachments, "*", kOrigin);
  REQUIRE(all.messages.size() == 2);
  CHECK(all.messages[0].content == "%PDF-1.4");
  CHECK(all.messages[0].content_type == "application/pdf");
  auto meta = meta_of(all.messages[0]);
  CHECK(meta["email.attachment_name"] == "result.pdf");
  CHECK(meta["email.attachment_index"] == "1");
  CHECK(meta["dedupe_key"] == "<m1@example.org>#attachment-1");
  CHECK(meta_of(all.messages[1])["dedupe_key"] == "<m1@example.org>#attachment-2");

  // The pattern picks; the key of a picked attachment does not change.
  const Extraction txt = extract_messages(kMail, ReadMode::attachments, "*.TXT", kOrigin);
  REQUIRE(txt.messages.size() == 1);
  CHECK(txt.messages[0].content == "notes");
  CHECK(meta_of(txt.messages[0])["dedupe_key"] == "<m1@example.org>#attachment-2");

  const Extraction nothing = extract_messages(kMail, ReadMode::attachments, "*.xml", kOrigin);
  CHECK(nothing.messages.empty());
  CHECK(nothing.problem == "no attachment name matches '*.xml'");
  CHECK(extract_messages("Subject: x\r\n\r\nhi", ReadMode::attachments, "*", kOrigin).problem == "the mail has no attachments");
}

TEST_CASE("a mail without Message-ID is keyed by its place in the mailbox") {
  const Extraction e = extract_messages("Subject: x\r\n\r\nhi", ReadMode::mail, "*", kOrigin);
  REQUIRE(e.messages.size() == 1);
  CHECK(meta_of(e.messages[0])["dedupe_key"] == "imap://alice@imap.example.org/INBOX;UIDVALIDITY=77;UID=5");
}

TEST_CASE("metadata from hostile headers stays on one line") {
  const Extraction e = extract_messages("Subject: =?UTF-8?Q?a=0D=0Ab?=\r\n\r\nx", ReadMode::mail, "*", kOrigin);
  CHECK(meta_of(e.messages[0])["email.subject"] == "a  b");
}
