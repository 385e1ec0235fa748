// libcurl plumbing both components share: global init, an owned easy
// handle, the connection settings (URL, TLS, login, timeouts) and an abort
// flag that ends a transfer within about a second when the instance stops.
#pragma once

#include <curl/curl.h>

#include <atomic>
#include <string>

#include "server_settings.hpp"

namespace ferry::email {

class CurlEasy {
 public:
  CurlEasy();  // throws ferry::Error when libcurl cannot make a handle
  ~CurlEasy();
  CurlEasy(const CurlEasy&) = delete;
  CurlEasy& operator=(const CurlEasy&) = delete;

  CURL* get() const { return handle_; }
  // libcurl's words for a failed call, with the details of its error buffer.
  std::string failure(CURLcode rc) const;
  void clear_error() { error_[0] = '\0'; }

  // URL, TLS mode and verification, credentials, mechanism, timeouts;
  // protocols: the only schemes the handle may use ("smtp,smtps").
  void apply(const ServerSettings& s, const std::string& url, const char* protocols);
  // While *flag is true, the running transfer is aborted.
  void abort_when(const std::atomic<bool>* flag);

 private:
  CURL* handle_;
  char error_[CURL_ERROR_SIZE];
};

}  // namespace ferry::email
