#include "curl_session.hpp"

#include <ferry/plugin.hpp>

#include <cstring>
#include <mutex>

namespace ferry::email {

namespace {

// libcurl >= 7.84 makes global init thread-safe; once per process is
// enough, and it is never undone (plugins are never unloaded).
void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

int abort_check(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  const auto* flag = static_cast<const std::atomic<bool>*>(user);
  return flag != nullptr && flag->load() ? 1 : 0;
}

}  // namespace

CurlEasy::CurlEasy() {
  global_init();
  handle_ = curl_easy_init();
  if (handle_ == nullptr) throw ferry::Error("libcurl could not create a handle");
  error_[0] = '\0';
  curl_easy_setopt(handle_, CURLOPT_ERRORBUFFER, error_);
  curl_easy_setopt(handle_, CURLOPT_NOSIGNAL, 1L);  // we run on our own threads
}

CurlEasy::~CurlEasy() { curl_easy_cleanup(handle_); }

std::string CurlEasy::failure(CURLcode rc) const {
  std::string text = curl_easy_strerror(rc);
  if (error_[0] != '\0' && std::strcmp(error_, text.c_str()) != 0) {
    std::string detail = error_;
    while (!detail.empty() && (detail.back() == '\n' || detail.back() == '\r')) detail.pop_back();
    text += ": " + detail;
  }
  return text;
}

void CurlEasy::apply(const ServerSettings& s, const std::string& url, const char* protocols) {
  CURL* h = handle_;
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, protocols);
  curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, protocols);
  const long use_ssl = s.security == "starttls" || s.security == "tls" ? CURLUSESSL_ALL
                       : s.security == "starttls_optional"             ? CURLUSESSL_TRY
                                                                       : CURLUSESSL_NONE;
  curl_easy_setopt(h, CURLOPT_USE_SSL, use_ssl);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, s.tls_verify ? 1L : 0L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, s.tls_verify ? 2L : 0L);
  if (!s.tls_ca.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, s.tls_ca.c_str());
  curl_easy_setopt(h, CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_2));
  if (!s.username.empty()) {
    curl_easy_setopt(h, CURLOPT_USERNAME, s.username.c_str());
    curl_easy_setopt(h, CURLOPT_PASSWORD, s.password.c_str());
    if (s.auth == "plain") curl_easy_setopt(h, CURLOPT_LOGIN_OPTIONS, "AUTH=PLAIN");
    else if (s.auth == "login") curl_easy_setopt(h, CURLOPT_LOGIN_OPTIONS, "AUTH=LOGIN");
  }
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(s.connect_timeout_ms));
  // libcurl 7.88 counts this one in whole seconds.
  curl_easy_setopt(h, CURLOPT_SERVER_RESPONSE_TIMEOUT, static_cast<long>((s.command_timeout_ms + 999) / 1000));
  curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
}

void CurlEasy::abort_when(const std::atomic<bool>* flag) {
  curl_easy_setopt(handle_, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(handle_, CURLOPT_XFERINFOFUNCTION, &abort_check);
  curl_easy_setopt(handle_, CURLOPT_XFERINFODATA, const_cast<std::atomic<bool>*>(flag));
}

}  // namespace ferry::email
