// The IMAP4rev1 wire format (RFC 3501) as far as the reader needs it:
// splitting the server's byte stream into responses (with literals), parsing
// the data of SELECT, SEARCH, FETCH and CAPABILITY, and quoting mailbox names.
// Everything from the server is untrusted: limits are enforced and malformed
// input gives an ImapError, never a crash.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace ferry::email {

struct ImapError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct ImapResponse {
  std::string tag;   // "*" (untagged), "+" (continuation) or a command's tag
  std::string text;  // the rest, literal markers "{N}" left in place
  std::vector<std::string> literals;  // the literal data, in order
};

// Splits received bytes into complete responses.
class ImapReader {
 public:
  ImapReader(size_t max_line, size_t max_literal) : max_line_(max_line), max_literal_(max_literal) {}
  void feed(std::string_view bytes);
  // The next complete response, or nullopt until more bytes arrive. Throws
  // ImapError when a line or literal exceeds the limits.
  std::optional<ImapResponse> next();

 private:
  size_t max_line_, max_literal_;
  std::string buffer_;
  size_t pos_ = 0;
  std::string text_;  // the response so far
  std::vector<std::string> literals_;
  size_t literal_left_ = 0;
};

// A parsed response value: an atom (number, flag, NIL...), a string
// (quoted or literal) or a parenthesised list.
struct ImapValue {
  enum class Kind { atom, string, list };
  Kind kind = Kind::atom;
  std::string text;
  std::vector<ImapValue> items;
};
// The values of a response's text, literals taken in order. Throws ImapError.
std::vector<ImapValue> parse_values(std::string_view text, const std::vector<std::string>& literals);

// Status of a tagged response: "OK", "NO" or "BAD" (uppercased first word).
std::string response_status(const ImapResponse& r);

// Response code value such as "[UIDVALIDITY 123]" in an untagged OK.
std::optional<uint32_t> find_uidvalidity(const std::vector<ImapResponse>& untagged);
// Capabilities from untagged CAPABILITY responses, uppercased.
std::set<std::string> find_capabilities(const std::vector<ImapResponse>& untagged);
// UIDs of untagged SEARCH responses, ascending.
std::vector<uint32_t> find_search_uids(const std::vector<ImapResponse>& untagged);

struct FetchData {
  uint32_t uid = 0;
  std::optional<uint64_t> size;      // RFC822.SIZE
  std::optional<std::string> body;   // BODY[]
  std::vector<std::string> flags;
};
// The untagged FETCH responses (malformed ones are skipped).
std::vector<FetchData> find_fetches(const std::vector<ImapResponse>& untagged);

// A mailbox name as an IMAP astring: UTF-8 turned into modified UTF-7
// (RFC 3501 5.1.3), then quoted. Throws ImapError for CR, LF or NUL.
std::string quote_mailbox(std::string_view utf8);
std::string modified_utf7(std::string_view utf8);

// A UID set "1,5,7" (the caller keeps it short).
std::string uid_set(const std::vector<uint32_t>& uids);

}  // namespace ferry::email
