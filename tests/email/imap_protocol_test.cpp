// The IMAP wire format: responses with literals arriving in pieces, the
// data the reader parses, and mailbox name quoting.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "imap_protocol.hpp"

using namespace ferry::email;

namespace {

std::vector<ImapResponse> read_all(ImapReader& r, const std::string& bytes, size_t chunk) {
  std::vector<ImapResponse> out;
  for (size_t i = 0; i < bytes.size(); i += chunk) {
    r.feed(std::string_view(bytes).substr(i, chunk));
    while (auto resp = r.next()) out.push_back(std::move(*resp));
  }
  return out;
}

const std::string kBody = "Subject: x\r\n\r\nA001 OK fake tagged line\r\n* 1 FETCH (fake)\r\n)\r\n";

}  // namespace

TEST_CASE("responses with literals are read whole, however the bytes arrive") {
  const std::string stream = "* 1 FETCH (UID 7 RFC822.SIZE " + std::to_string(kBody.size()) + " BODY[] {" +
                             std::to_string(kBody.size()) + "}\r\n" + kBody + " FLAGS (\\Seen))\r\nF3 OK Fetch completed.\r\n";
  for (size_t chunk : {size_t{1}, size_t{7}, size_t{4096}}) {
    ImapReader reader(1 << 20, 1 << 20);
    const auto responses = read_all(reader, stream, chunk);
    REQUIRE(responses.size() == 2);
    CHECK(responses[0].tag == "*");
    REQUIRE(responses[0].literals.size() == 1);
    CHECK(responses[0].literals[0] == kBody);
    CHECK(responses[1].tag == "F3");
    CHECK(response_status(responses[1]) == "OK");
    const auto fetches = find_fetches({responses[0]});
    REQUIRE(fetches.size() == 1);
    CHECK(fetches[0].uid == 7);
    CHECK(fetches[0].size == kBody.size());
    CHECK(fetches[0].body == kBody);
    CHECK(fetches[0].flags == std::vector<std::string>{"\\Seen"});
  }
}

TEST_CASE("a mail whose lines look like IMAP responses cannot end the response") {
  // The literal is counted in bytes, so its content is never parsed.
  ImapReader reader(1 << 20, 1 << 20);
  const std::string stream = "* 2 FETCH (UID 9 BODY[] {" + std::to_string(kBody.size()) + "}\r\n" + kBody + ")\r\nF1 OK done\r\n";
  const auto responses = read_all(reader, stream, 3);
  REQUIRE(responses.size() == 2);
  CHECK(responses[1].tag == "F1");
}

TEST_CASE("limits: an oversized literal or line is an error, not memory use") {
  ImapReader reader(100, 50);
  reader.feed("* 1 FETCH (BODY[] {51}\r\n");
  CHECK_THROWS_AS(reader.next(), ImapError);
  ImapReader lines(100, 50);
  lines.feed(std::string(200, 'x'));
  CHECK_THROWS_AS(lines.next(), ImapError);
}

TEST_CASE("SELECT, SEARCH and CAPABILITY data") {
  ImapReader reader(1 << 20, 1 << 20);
  const auto r = read_all(reader,
                          "* 3 EXISTS\r\n* OK [UIDVALIDITY 1795678931] UIDs valid\r\n* OK [UIDNEXT 4] x\r\n"
                          "* SEARCH 5 3 9\r\n* SEARCH\r\n* CAPABILITY IMAP4rev1 MOVE UIDPLUS\r\n",
                          4096);
  CHECK(find_uidvalidity(r) == 1795678931u);
  CHECK(find_search_uids(r) == std::vector<uint32_t>{3, 5, 9});
  const auto caps = find_capabilities(r);
  CHECK(caps.count("MOVE") == 1);
  CHECK(caps.count("UIDPLUS") == 1);
  CHECK_FALSE(find_uidvalidity({}).has_value());
}

TEST_CASE("values: strings, NIL, nested lists and bracketed atoms") {
  const auto v = parse_values("1 FETCH (UID 4 BODY[HEADER.FIELDS (DATE)] \"q\\\"s\" X NIL (a (b)))", {});
  REQUIRE(v.size() == 3);
  REQUIRE(v[2].kind == ImapValue::Kind::list);
  CHECK(v[2].items[2].text == "BODY[HEADER.FIELDS (DATE)]");
  CHECK(v[2].items[3].kind == ImapValue::Kind::string);
  CHECK(v[2].items[3].text == "q\"s");
  CHECK(v[2].items[5].text == "NIL");
  CHECK(v[2].items[6].items[1].items[0].text == "b");
  CHECK_THROWS_AS(parse_values("(unterminated", {}), ImapError);
  CHECK_THROWS_AS(parse_values("{5}", {}), ImapError);  // literal marker without data
  CHECK_THROWS_AS(parse_values(std::string(100, '('), {}), ImapError);
}

TEST_CASE("malformed FETCH responses are skipped") {
  ImapResponse bad{"*", "1 FETCH (UID", {}};
  ImapResponse no_uid{"*", "1 FETCH (FLAGS ())", {}};
  ImapResponse other{"*", "1 EXPUNGE", {}};
  CHECK(find_fetches({bad, no_uid, other}).empty());
}

TEST_CASE("mailbox names are quoted in modified UTF-7") {
  CHECK(quote_mailbox("INBOX") == "\"INBOX\"");
  CHECK(quote_mailbox("Lab \"Results\"") == "\"Lab \\\"Results\\\"\"");
  CHECK(modified_utf7("Entw\xC3\xBC" "rfe") == "Entw&APw-rfe");  // RFC 3501 style example
  CHECK(modified_utf7("A&B") == "A&-B");
  CHECK(modified_utf7("\xE5\x8F\xB0\xE5\x8C\x97") == "&U,BTFw-");  // RFC 3501 5.1.3
  CHECK_THROWS_AS(quote_mailbox("a\r\nb"), ImapError);
  CHECK(uid_set({1, 5, 7}) == "1,5,7");
}
