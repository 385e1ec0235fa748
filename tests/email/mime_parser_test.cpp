// Reading received mail, including the forms other mailers produce and
// malformed input.
#include <catch2/catch.hpp>

#include <string>

#include "mime_parser.hpp"

using namespace ferry::email;

TEST_CASE("headers are unfolded and looked up case-insensitively") {
  const MimePart p = parse_mail("Subject: one\r\n two\r\nX-A: 1\r\n\r\nbody");
  CHECK(*p.headers.get("subject") == "one two");
  CHECK(*p.headers.get("X-A") == "1");
  CHECK(p.headers.get("X-B") == nullptr);
  CHECK(p.body == "body");
  CHECK(p.type.value == "text/plain");
}

TEST_CASE("LF-only mail and mail without a body are read") {
  const MimePart p = parse_mail("Subject: x\nContent-Type: text/plain; charset=utf-8\n\nline\n");
  CHECK(*p.headers.get("Subject") == "x");
  CHECK(p.body == "line\n");
  const MimePart q = parse_mail("Subject: only headers");
  CHECK(q.body.empty());
}

TEST_CASE("content field parameters: quoted, RFC 2231 and encoded-words") {
  ContentField f = parse_content_field("Text/Plain; charset=\"ISO-8859-1\"; format=flowed");
  CHECK(f.value == "text/plain");
  CHECK(f.param("charset") == "ISO-8859-1");
  CHECK(f.param("format") == "flowed");
  f = parse_content_field("attachment; filename*=utf-8''r%C3%A9sultat.pdf");
  CHECK(f.param("filename") == "r\xC3\xA9sultat.pdf");
  f = parse_content_field("attachment; filename*0*=iso-8859-1'de'r%E9sul; filename*1=\"tat.pdf\"");
  CHECK(f.param("filename") == "r\xC3\xA9sultat.pdf");
  f = parse_content_field("application/pdf; name=\"=?UTF-8?B?csOpc3VsdGF0LnBkZg==?=\"");
  CHECK(f.param("name") == "r\xC3\xA9sultat.pdf");
  f = parse_content_field("multipart/mixed; boundary=\"a;b\\\"c\"");
  CHECK(f.param("boundary") == "a;b\"c");
}

TEST_CASE("multipart mail is split into its parts, nested too") {
  const std::string raw =
      "Content-Type: multipart/mixed; boundary=OUT\r\n\r\n"
      "preamble\r\n"
      "--OUT\r\n"
      "Content-Type: multipart/alternative; boundary=IN\r\n\r\n"
      "--IN\r\nContent-Type: text/plain\r\n\r\nplain\r\n"
      "--IN\r\nContent-Type: text/html\r\n\r\n<p>html</p>\r\n"
      "--IN--\r\n"
      "--OUT\r\n"
      "Content-Type: application/pdf; name=a.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERg==\r\n"
      "--OUT--\r\nepilogue\r\n";
  const MimePart root = parse_mail(raw);
  REQUIRE(root.parts.size() == 2);
  REQUIRE(root.parts[0].parts.size() == 2);
  CHECK(root.parts[0].parts[0].body == "plain");
  CHECK(root.parts[0].parts[1].body == "<p>html</p>");
  CHECK(decoded_body(root.parts[1]) == "%PDF");
  const auto all = leaves(root);
  REQUIRE(all.size() == 3);
  CHECK(is_attachment(*all[2]));
  CHECK_FALSE(is_attachment(*all[0]));
  CHECK(text_body(root) == all[0]);
}

TEST_CASE("a missing closing boundary takes the rest as the last part") {
  const MimePart root = parse_mail("Content-Type: multipart/mixed; boundary=B\r\n\r\n--B\r\n\r\none\r\n--B\r\n\r\ntwo");
  REQUIRE(root.parts.size() == 2);
  CHECK(root.parts[1].body == "two");
}

TEST_CASE("hostile nesting and part counts are bounded") {
  std::string raw;
  for (int i = 0; i < 200; ++i) raw += "Content-Type: multipart/mixed; boundary=b" + std::to_string(i) + "\r\n\r\n--b" + std::to_string(i) + "\r\n";
  const MimePart deep = parse_mail(raw);
  size_t depth = 0;
  for (const MimePart* p = &deep; !p->parts.empty(); p = &p->parts.front()) ++depth;
  CHECK(depth <= 20);
  std::string wide = "Content-Type: multipart/mixed; boundary=w\r\n\r\n";
  for (int i = 0; i < 5000; ++i) wide += "--w\r\n\r\nx\r\n";
  CHECK(parse_mail(wide).parts.size() <= 1000);
}

TEST_CASE("transfer encodings and charsets are undone") {
  MimePart p = parse_mail("Content-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nGr=FC=DFe=\r\n!");
  CHECK(decoded_text(p) == "Gr\xC3\xBC\xC3\x9F" "e!");
  p = parse_mail("Content-Transfer-Encoding: base64\r\n\r\nZm9v\r\nYmFy\r\n");
  CHECK(decoded_body(p) == "foobar");
  p = parse_mail("Content-Transfer-Encoding: base64\r\n\r\nZm9v*YmFy==garbage");  // damaged: what can be decoded
  CHECK(decoded_body(p).rfind("foo", 0) == 0);
  p = parse_mail("Content-Type: text/plain; charset=x-unknown\r\n\r\nabc\xFF");
  CHECK(decoded_text(p) == "abc\xEF\xBF\xBD");
}

TEST_CASE("garbage never throws") {
  for (const char* s : {"", "\r\n", ":", "Content-Type: multipart/mixed; boundary=\r\n\r\n--\r\n", "Content-Type: ;;;=\"\r\n\r\n",
                        "Content-Type: multipart/mixed; boundary=x\r\n\r\n--x", "Content-Disposition: attachment; filename*0*=''%"}) {
    CHECK_NOTHROW(parse_mail(s));
    const MimePart p = parse_mail(s);
    CHECK_NOTHROW(leaves(p));
    CHECK_NOTHROW(decoded_text(p));
  }
}
