// The mails email.smtp sends: structure, headers, encodings, and that our
// own parser reads back exactly what went in.
#include <catch2/catch.hpp>

#include <string>

#include "encoding.hpp"
#include "header.hpp"
#include "mime_builder.hpp"
#include "mime_parser.hpp"

using namespace ferry::email;

namespace {

std::function<std::string()> counter_tokens() {
  auto n = std::make_shared<int>(0);
  return [n] { return "token" + std::to_string(++*n); };
}

Mail basic() {
  Mail m;
  m.from = {"Labor S\xC3\xBC" "d", "lab@example.org"};
  m.to = {{"", "clinic@example.org"}};
  m.subject = "Result";
  m.message_id = "<ferry.1.abc@example.org>";
  m.date = std::chrono::system_clock::from_time_t(1795678931);  // 2026-11-26
  return m;
}

bool lines_ok(const std::string& s) {
  size_t start = 0;
  for (size_t nl; (nl = s.find('\n', start)) != std::string::npos; start = nl + 1) {
    if (nl == 0 || s[nl - 1] != '\r') return false;  // no bare LF
    if (nl - start > 999) return false;
  }
  for (size_t i = 0; i < s.size(); ++i)
    if (s[i] == '\r' && (i + 1 == s.size() || s[i + 1] != '\n')) return false;  // no bare CR
  return start == s.size();  // ends with CRLF
}

}  // namespace

TEST_CASE("the date is RFC 5322 in UTC") {
  CHECK(rfc5322_date(std::chrono::system_clock::from_time_t(0)) == "Thu, 01 Jan 1970 00:00:00 +0000");
  CHECK(rfc5322_date(std::chrono::system_clock::from_time_t(1795678931)) == "Thu, 26 Nov 2026 07:42:11 +0000");
}

TEST_CASE("a text-only mail has the required headers and one text part") {
  Mail m = basic();
  m.has_text = true;
  m.text = "line one\nline two";
  const std::string raw = build_message(m, counter_tokens());
  CHECK(lines_ok(raw));
  CHECK(raw.rfind("Date: Thu, 26 Nov 2026 07:42:11 +0000\r\n", 0) == 0);
  CHECK(raw.find("\r\nMessage-ID: <ferry.1.abc@example.org>\r\n") != std::string::npos);
  CHECK(raw.find("\r\nMIME-Version: 1.0\r\n") != std::string::npos);
  CHECK(raw.find("\r\nTo: clinic@example.org\r\n") != std::string::npos);
  CHECK(raw.find("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 7bit\r\n") != std::string::npos);
  const MimePart p = parse_mail(raw);
  CHECK(decode_header_text(*p.headers.get("From")) == "Labor S\xC3\xBC" "d <lab@example.org>");
  CHECK(decoded_text(p) == "line one\r\nline two\r\n");
}

TEST_CASE("text and html make multipart/alternative, attachments multipart/mixed") {
  Mail m = basic();
  m.has_text = m.has_html = true;
  m.text = "Gr\xC3\xBC\xC3\x9F" "e";
  m.html = "<p>Gr\xC3\xBC\xC3\x9F" "e</p>";
  std::string pdf = "%PDF-1.4\n";
  for (int i = 0; i < 256; ++i) pdf += static_cast<char>(i);
  m.attachments = {{"befund.pdf", "application/pdf", pdf}, {"r\xC3\xA9sultat 1.txt", "text/plain", "x"}};
  const std::string raw = build_message(m, counter_tokens());
  CHECK(lines_ok(raw));
  const MimePart root = parse_mail(raw);
  CHECK(root.type.value == "multipart/mixed");
  REQUIRE(root.parts.size() == 3);
  CHECK(root.parts[0].type.value == "multipart/alternative");
  REQUIRE(root.parts[0].parts.size() == 2);
  CHECK(decoded_text(root.parts[0].parts[0]) == "Gr\xC3\xBC\xC3\x9F" "e");
  CHECK(root.parts[0].parts[1].type.value == "text/html");
  CHECK(decoded_text(root.parts[0].parts[1]) == "<p>Gr\xC3\xBC\xC3\x9F" "e</p>");
  CHECK(root.parts[1].type.value == "application/pdf");
  CHECK(file_name(root.parts[1]) == "befund.pdf");
  CHECK(decoded_body(root.parts[1]) == pdf);
  CHECK(file_name(root.parts[2]) == "r\xC3\xA9sultat 1.txt");
  CHECK(root.parts[2].headers.get("Content-Disposition")->find("filename*=utf-8''r%C3%A9sultat%201.txt") != std::string::npos);
}

TEST_CASE("html only, and no body at all") {
  Mail m = basic();
  m.has_html = true;
  m.html = "<b>x</b>";
  CHECK(parse_mail(build_message(m, counter_tokens())).type.value == "text/html");
  Mail e = basic();
  const MimePart p = parse_mail(build_message(e, counter_tokens()));
  CHECK(p.type.value == "text/plain");
  CHECK(decoded_text(p).empty());
}

TEST_CASE("body encodings can be forced and long or binary text is never 7bit") {
  Mail m = basic();
  m.has_text = true;
  m.text = std::string(2000, 'a');
  std::string raw = build_message(m, counter_tokens());
  CHECK(raw.find("quoted-printable") != std::string::npos);
  CHECK(lines_ok(raw));
  CHECK(decoded_text(parse_mail(raw)) == std::string(2000, 'a'));
  m.encoding = BodyEncoding::base64;
  raw = build_message(m, counter_tokens());
  CHECK(raw.find("Content-Transfer-Encoding: base64") != std::string::npos);
  CHECK(decoded_text(parse_mail(raw)) == std::string(2000, 'a'));
  m.encoding = BodyEncoding::quoted_printable;
  m.text = "plain";
  CHECK(build_message(m, counter_tokens()).find("quoted-printable") != std::string::npos);
}

TEST_CASE("HL7 segment separators become CRLF lines and dots survive") {
  Mail m = basic();
  m.has_text = true;
  m.text = "MSH|^~\\&|LAB\rPID|1\r.\r";
  const std::string raw = build_message(m, counter_tokens());
  CHECK(lines_ok(raw));
  CHECK(decoded_text(parse_mail(raw)) == "MSH|^~\\&|LAB\r\nPID|1\r\n.\r\n");
}

TEST_CASE("a boundary that occurs in a 7bit part is not used") {
  Mail m = basic();
  m.has_text = m.has_html = true;
  m.text = "--=_ferry_token1 in the text";
  m.html = "<p>x</p>";
  const std::string raw = build_message(m, counter_tokens());
  const MimePart root = parse_mail(raw);
  CHECK(root.type.param("boundary") == "=_ferry_token2");
  REQUIRE(root.parts.size() == 2);
  CHECK(decoded_text(root.parts[0]) == "--=_ferry_token1 in the text");
}

TEST_CASE("only Bcc recipients give an undisclosed To, and Cc and Reply-To appear") {
  Mail m = basic();
  m.to.clear();
  std::string raw = build_message(m, counter_tokens());
  CHECK(raw.find("\r\nTo: undisclosed-recipients:;\r\n") != std::string::npos);
  m.cc = {{"", "cc@example.org"}};
  m.reply_to = {{"Help Desk", "help@example.org"}};
  raw = build_message(m, counter_tokens());
  CHECK(raw.find("\r\nTo:") == std::string::npos);
  CHECK(raw.find("\r\nCc: cc@example.org\r\n") != std::string::npos);
  CHECK(raw.find("\r\nReply-To: Help Desk <help@example.org>\r\n") != std::string::npos);
}

TEST_CASE("extra headers are encoded and reserved names are never written") {
  Mail m = basic();
  m.extra_headers = {{"X-Patient", "M\xC3\xBCller\r\nBcc: evil@x.org"}, {"Bcc", "evil@x.org"}, {"Content-Type", "x/y"}};
  const std::string raw = build_message(m, counter_tokens());
  const MimePart p = parse_mail(raw);
  CHECK(decode_header_text(*p.headers.get("X-Patient")) == "M\xC3\xBCller  Bcc: evil@x.org");
  CHECK(p.headers.get("Bcc") == nullptr);
  CHECK(p.type.value == "text/plain");
  CHECK(allowed_extra_header("X-Ferry-Id"));
  CHECK_FALSE(allowed_extra_header("Subject"));
  CHECK_FALSE(allowed_extra_header("content-transfer-encoding"));
  CHECK_FALSE(allowed_extra_header("X Bad"));
  CHECK_FALSE(allowed_extra_header("X:Bad"));
}

TEST_CASE("file names and MIME types are made safe") {
  CHECK(safe_file_name("../../etc/passwd", "f") == ".._.._etc_passwd");
  CHECK(safe_file_name("a\"b\r\n.pdf", "f") == "a_b  .pdf");
  CHECK(safe_file_name("", "attachment-1") == "attachment-1");
  CHECK(safe_file_name("..", "attachment-1") == "attachment-1");
  CHECK(safe_file_name(std::string(300, 'x'), "f").size() == 200);
  CHECK(valid_mime_type("application/pdf"));
  CHECK(valid_mime_type("application/vnd.ms-excel"));
  CHECK_FALSE(valid_mime_type("application"));
  CHECK_FALSE(valid_mime_type("text/plain; charset=x"));
  CHECK_FALSE(valid_mime_type("a/b\r\nBcc: x"));
}
