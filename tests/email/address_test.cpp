// Address lists as admins write them, checked before they reach SMTP.
#include <catch2/catch.hpp>

#include "address.hpp"

using namespace ferry::email;

TEST_CASE("address lists in the usual forms") {
  const auto list = parse_address_list("a@example.org, Lab <lab@example.org>; \"Doe, Jane\" <jd@example.org>,<x@y.org>");
  REQUIRE(list.size() == 4);
  CHECK(list[0].name.empty());
  CHECK(list[0].address == "a@example.org");
  CHECK(list[1].name == "Lab");
  CHECK(list[1].address == "lab@example.org");
  CHECK(list[2].name == "Doe, Jane");
  CHECK(list[2].address == "jd@example.org");
  CHECK(list[3].address == "x@y.org");
}

TEST_CASE("empty items and empty lists give no addresses") {
  CHECK(parse_address_list("").empty());
  CHECK(parse_address_list(" , ;").empty());
  CHECK(parse_address_list("a@b.org,,").size() == 1);
}

TEST_CASE("invalid addresses are refused with the item named") {
  CHECK_THROWS_WITH(parse_address_list("not an address"), Catch::Contains("'not an address'"));
  CHECK_THROWS_AS(parse_address_list("a@b.org, bad@"), AddressError);
  CHECK_THROWS_AS(parse_address_list("Name <a@b.org> trailing"), AddressError);
  CHECK_THROWS_AS(parse_address_list("Name <a@b.org"), AddressError);
  CHECK_THROWS_AS(parse_address_list("\"unterminated <a@b.org>"), AddressError);
  // What would break the SMTP command or a header.
  CHECK_THROWS_AS(parse_address_list("a@b.org>\r\nRCPT TO:<evil@x.org"), AddressError);
  CHECK_THROWS_AS(parse_address_list("<a b@c.org>"), AddressError);
  CHECK_THROWS_AS(parse_address_list("j\xC3\xBCrg@example.org"), AddressError);  // no SMTPUTF8
}

TEST_CASE("valid_address follows the dot-atom and hostname rules") {
  CHECK(valid_address("a.b+c@example.org"));
  CHECK(valid_address("x@[127.0.0.1]"));
  CHECK(valid_address("o'brien@example.org"));
  CHECK_FALSE(valid_address("a..b@example.org"));
  CHECK_FALSE(valid_address(".a@example.org"));
  CHECK_FALSE(valid_address("a@-example.org"));
  CHECK_FALSE(valid_address("a@example..org"));
  CHECK_FALSE(valid_address("a@exa_mple.org"));
  CHECK_FALSE(valid_address("@example.org"));
  CHECK_FALSE(valid_address("a@"));
  CHECK_FALSE(valid_address(std::string(70, 'a') + "@example.org"));
}

TEST_CASE("addresses are formatted for headers and folded between items") {
  CHECK(format_address({"", "a@b.org"}) == "a@b.org");
  CHECK(format_address({"Doe, Jane", "jd@b.org"}) == "\"Doe, Jane\" <jd@b.org>");
  std::vector<Address> many(10, Address{"Someone Long Name", "someone.long@example.org"});
  const std::string h = address_header("To", many);
  size_t start = 0;
  for (size_t nl; (nl = h.find("\r\n", start)) != std::string::npos; start = nl + 2) {
    CHECK(nl - start <= 78);
    if (nl + 2 < h.size()) CHECK(h[nl + 2] == ' ');
  }
}
