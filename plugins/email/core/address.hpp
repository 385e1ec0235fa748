// Mail addresses as admins write them in templates ("a@b.org",
// "Lab <lab@b.org>", "\"Doe, Jane\" <jd@b.org>", several separated by ","
// or ";") and as they go into headers and SMTP envelopes.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace ferry::email {

struct Address {
  std::string name;     // display name, UTF-8, may be empty
  std::string address;  // local@domain, plain ASCII, checked
};

struct AddressError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Empty items are skipped, so "" gives no address. Throws AddressError
// naming the item for anything that is not a usable address: SMTP commands
// and headers are built from these, so nothing unchecked may pass.
std::vector<Address> parse_address_list(std::string_view text);

// A dot-atom local part, "@", and a domain of letters, digits and hyphens
// (or an [address literal]); ASCII only (no SMTPUTF8), at most 254 bytes.
bool valid_address(std::string_view address);

// "Name <local@domain>" or "local@domain" for a header.
std::string format_address(const Address& a);

// "To: a, b\r\n", folded between addresses when a line grows past 78.
std::string address_header(std::string_view name, const std::vector<Address>& list);

}  // namespace ferry::email
