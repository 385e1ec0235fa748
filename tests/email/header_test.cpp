// Writing headers (RFC 2047, folding, no injection) and decoding them.
#include <catch2/catch.hpp>

#include <string>

#include "header.hpp"

using namespace ferry::email;

namespace {

// Every line of a header block is at most `max` characters.
bool lines_within(const std::string& s, size_t max) {
  size_t start = 0;
  for (size_t nl; (nl = s.find("\r\n", start)) != std::string::npos; start = nl + 2)
    if (nl - start > max) return false;
  return true;
}

// The lines after the first must be continuations (start with a blank).
bool one_field(const std::string& s) {
  for (size_t nl = s.find("\r\n"); nl != std::string::npos && nl + 2 < s.size(); nl = s.find("\r\n", nl + 2))
    if (s[nl + 2] != ' ' && s[nl + 2] != '\t') return false;
  return true;
}

}  // namespace

TEST_CASE("plain ASCII subjects are written as they are") {
  CHECK(unstructured_header("Subject", "Lab result 42") == "Subject: Lab result 42\r\n");
  CHECK(unstructured_header("Subject", "") == "Subject:\r\n");
}

TEST_CASE("long ASCII subjects are folded at spaces") {
  std::string words;
  for (int i = 0; i < 40; ++i) words += "word" + std::to_string(i) + " ";
  const std::string h = unstructured_header("Subject", words);
  CHECK(lines_within(h, 78));
  CHECK(one_field(h));
  CHECK(decode_header_text(unfold(h.substr(9, h.size() - 11))) == words);
}

TEST_CASE("UTF-8 subjects become encoded-words that decode back") {
  const std::string subject = "Befund f\xC3\xBCr M\xC3\xBCller \xE2\x80\x93 Gr\xC3\xBC\xC3\x9F" "e \xF0\x9F\x98\x80";
  const std::string h = unstructured_header("Subject", subject);
  CHECK(h.find("=?UTF-8?B?") != std::string::npos);
  CHECK(lines_within(h, 78));
  CHECK(one_field(h));
  CHECK(decode_header_text(unfold(h.substr(9, h.size() - 11))) == subject);
}

TEST_CASE("a long UTF-8 value is split between characters, never inside one") {
  std::string text;
  for (int i = 0; i < 100; ++i) text += "\xC3\xA9";  // 200 bytes of e-acute
  const std::string words = encoded_words(text, "\r\n ");
  CHECK(lines_within(words, 75));
  CHECK(decode_header_text(unfold(words)) == text);
}

TEST_CASE("CR and LF in a value can never start a header of their own") {
  const std::string h = unstructured_header("Subject", "hi\r\nBcc: evil@example.org\nX: y");
  CHECK(h == "Subject: hi  Bcc: evil@example.org X: y\r\n");
  const std::string u = unstructured_header("Subject", "gr\xC3\xBC\xC3\x9F" "e\r\nBcc: evil@example.org");
  CHECK(one_field(u));
  CHECK(u.find("\r\nBcc") == std::string::npos);
}

TEST_CASE("text that looks like an encoded-word is encoded itself") {
  const std::string h = unstructured_header("Subject", "=?UTF-8?B?Zm9v?=");
  CHECK(decode_header_text(unfold(h.substr(9, h.size() - 11))) == "=?UTF-8?B?Zm9v?=");
}

TEST_CASE("display names are atoms, quoted strings or encoded-words") {
  CHECK(encode_phrase("Jane Doe") == "Jane Doe");
  CHECK(encode_phrase("Doe, Jane") == "\"Doe, Jane\"");
  CHECK(encode_phrase("say \"hi\"") == "\"say \\\"hi\\\"\"");
  CHECK(encode_phrase("Labor S\xC3\xBC" "d").rfind("=?UTF-8?B?", 0) == 0);
  CHECK(decode_header_text(encode_phrase("Labor S\xC3\xBC" "d")) == "Labor S\xC3\xBC" "d");
}

TEST_CASE("encoded-words in B and Q and other charsets decode to UTF-8") {
  CHECK(decode_header_text("=?utf-8?q?Gr=C3=BC=C3=9Fe_aus?= Bern") == "Gr\xC3\xBC\xC3\x9F" "e aus Bern");
  CHECK(decode_header_text("=?ISO-8859-1?Q?Gr=FC=DFe?=") == "Gr\xC3\xBC\xC3\x9F" "e");
  CHECK(decode_header_text("=?iso-8859-1?b?R3L832U=?=") == "Gr\xC3\xBC\xC3\x9F" "e");
  // Blanks between adjacent encoded-words go, other blanks stay.
  CHECK(decode_header_text("=?UTF-8?B?Zm9v?= =?UTF-8?B?YmFy?=") == "foobar");
  CHECK(decode_header_text("a =?UTF-8?B?Zm9v?= b") == "a foo b");
  CHECK(decode_header_text("=?UTF-8*de?Q?x?=") == "x");
}

TEST_CASE("broken encoded-words are kept as text") {
  CHECK(decode_header_text("=?UTF-8?B?!!!?=") == "=?UTF-8?B?!!!?=");
  CHECK(decode_header_text("=?UTF-8?X?abc?=") == "=?UTF-8?X?abc?=");
  CHECK(decode_header_text("=?UTF-8?B?abc") == "=?UTF-8?B?abc");
  CHECK(decode_header_text("=?unknown-charset?Q?abc?=") == "abc");
  CHECK(decode_header_text("plain \xFF text") == "plain \xEF\xBF\xBD text");
}
