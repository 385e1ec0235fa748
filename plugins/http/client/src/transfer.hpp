// One request on one curl easy handle: sets the options, collects the status
// line, headers and (capped) body, and turns libcurl's end code into a
// Result. Used only on the client's worker thread.
#pragma once

#include <ferry/http/client.hpp>

#include <curl/curl.h>

namespace ferry::http::detail {

class Transfer {
 public:
  // Throws std::runtime_error when libcurl refuses an option (out of memory,
  // a feature missing from the libcurl build).
  Transfer(const ClientOptions& options, Request request, Client::Done done);
  ~Transfer();
  Transfer(const Transfer&) = delete;
  Transfer& operator=(const Transfer&) = delete;

  CURL* handle() const { return easy_; }
  // The outcome once libcurl reports the transfer done with `code`.
  Result finish(CURLcode code);
  // Hands the callback over (once), so the caller can run it after freeing
  // the transfer.
  Client::Done take_done() { return std::move(done_); }

 private:
  static size_t on_body(char* data, size_t size, size_t count, void* self);
  static size_t on_header(char* data, size_t size, size_t count, void* self);
  void header_line(std::string_view line);
  void set_method();
  void set_headers();
  void set_tls();

  const ClientOptions& options_;
  Request request_;
  Client::Done done_;
  CURL* easy_ = nullptr;
  curl_slist* header_list_ = nullptr;
  char error_[CURL_ERROR_SIZE] = {};
  Response response_;
  size_t header_bytes_ = 0;
  bool headers_too_large_ = false;
};

}  // namespace ferry::http::detail
