#include "transfer.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace ferry::http::detail {

namespace {

template <class T>
void set(CURL* easy, CURLoption option, T value, const char* what) {
  const CURLcode rc = curl_easy_setopt(easy, option, value);
  if (rc != CURLE_OK) throw std::runtime_error(std::string("libcurl refused ") + what + ": " + curl_easy_strerror(rc));
}

std::string lowercase(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](unsigned char x, unsigned char y) {
           return std::tolower(x) == std::tolower(y);
         });
}

bool starts_with_nocase(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && iequals(text.substr(0, prefix.size()), prefix);
}

}  // namespace

Transfer::Transfer(const ClientOptions& options, Request request, Client::Done done)
    : options_(options), request_(std::move(request)), done_(std::move(done)), easy_(curl_easy_init()) {
  if (easy_ == nullptr) throw std::runtime_error("libcurl could not create a handle (out of memory)");
  // Checked here rather than left to libcurl, whose "unsupported protocol"
  // also covers a server's unusable answer (which is worth a retry).
  if (!starts_with_nocase(request_.url, "http://") && !starts_with_nocase(request_.url, "https://")) {
    curl_easy_cleanup(easy_);
    throw std::invalid_argument("URL does not start with http:// or https://");
  }
  try {
    set(easy_, CURLOPT_PRIVATE, static_cast<void*>(this), "PRIVATE");
    set(easy_, CURLOPT_ERRORBUFFER, error_, "ERRORBUFFER");
    set(easy_, CURLOPT_URL, request_.url.c_str(), "the URL");
    // Only HTTP(S), also after a redirect: a templated URL must not reach
    // file:// or other schemes libcurl knows.
    set(easy_, CURLOPT_PROTOCOLS_STR, "http,https", "PROTOCOLS_STR");
    set(easy_, CURLOPT_REDIR_PROTOCOLS_STR, "http,https", "REDIR_PROTOCOLS_STR");
    set(easy_, CURLOPT_NOSIGNAL, 1L, "NOSIGNAL");
    set(easy_, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.connect_timeout_ms), "CONNECTTIMEOUT_MS");
    set(easy_, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeout_ms), "TIMEOUT_MS");
    set(easy_, CURLOPT_TCP_KEEPALIVE, 1L, "TCP_KEEPALIVE");
    set(easy_, CURLOPT_FOLLOWLOCATION, options_.follow_redirects ? 1L : 0L, "FOLLOWLOCATION");
    set(easy_, CURLOPT_MAXREDIRS, 5L, "MAXREDIRS");
    // Always set: "" disables the http_proxy/https_proxy environment
    // variables, so behaviour does not depend on the service's environment.
    set(easy_, CURLOPT_PROXY, options_.proxy.c_str(), "PROXY");
    set(easy_, CURLOPT_USERAGENT, options_.user_agent.c_str(), "USERAGENT");
    set(easy_, CURLOPT_WRITEFUNCTION, &Transfer::on_body, "WRITEFUNCTION");
    set(easy_, CURLOPT_WRITEDATA, static_cast<void*>(this), "WRITEDATA");
    set(easy_, CURLOPT_HEADERFUNCTION, &Transfer::on_header, "HEADERFUNCTION");
    set(easy_, CURLOPT_HEADERDATA, static_cast<void*>(this), "HEADERDATA");
    set_tls();
    set_method();
    set_headers();
  } catch (...) {
    curl_slist_free_all(header_list_);
    curl_easy_cleanup(easy_);
    throw;
  }
}

Transfer::~Transfer() {
  curl_easy_cleanup(easy_);
  curl_slist_free_all(header_list_);
}

void Transfer::set_tls() {
  const TlsOptions& tls = options_.tls;
  set(easy_, CURLOPT_SSL_VERIFYPEER, tls.verify ? 1L : 0L, "SSL_VERIFYPEER");
  set(easy_, CURLOPT_SSL_VERIFYHOST, tls.verify ? 2L : 0L, "SSL_VERIFYHOST");
  if (!tls.ca_file.empty()) set(easy_, CURLOPT_CAINFO, tls.ca_file.c_str(), "CAINFO");
  if (!tls.certificate.empty()) set(easy_, CURLOPT_SSLCERT, tls.certificate.c_str(), "SSLCERT");
  if (!tls.key.empty()) set(easy_, CURLOPT_SSLKEY, tls.key.c_str(), "SSLKEY");
  set(easy_, CURLOPT_SSLVERSION, tls.min_version == "1.3" ? CURL_SSLVERSION_TLSv1_3 : CURL_SSLVERSION_TLSv1_2,
      "SSLVERSION");
}

void Transfer::set_method() {
  const std::string& m = request_.method;
  if (m == "HEAD") {
    set(easy_, CURLOPT_NOBODY, 1L, "NOBODY");
    return;
  }
  if (m == "GET" && request_.body.empty()) {
    set(easy_, CURLOPT_HTTPGET, 1L, "HTTPGET");
    return;
  }
  // Any other method (or a GET with a body) sends the body as it is.
  set(easy_, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request_.body.size()), "POSTFIELDSIZE");
  set(easy_, CURLOPT_POSTFIELDS, request_.body.data(), "POSTFIELDS");
  if (m != "POST") set(easy_, CURLOPT_CUSTOMREQUEST, m.c_str(), "CUSTOMREQUEST");
}

void Transfer::set_headers() {
  bool has_content_type = false;
  for (const auto& [name, value] : request_.headers) {
    if (iequals(name, "content-type")) has_content_type = true;
    // "Name;" is libcurl's way to send a header with an empty value.
    const std::string line = value.empty() ? name + ";" : name + ": " + value;
    curl_slist* next = curl_slist_append(header_list_, line.c_str());
    if (next == nullptr) throw std::runtime_error("out of memory building the request headers");
    header_list_ = next;
  }
  // No "Expect: 100-continue" round trip for large bodies, and never
  // libcurl's default form content type for a body we did not label.
  for (const char* line : {"Expect:", "Content-Type:"}) {
    if (std::string_view(line) == "Content-Type:" && has_content_type) continue;
    curl_slist* next = curl_slist_append(header_list_, line);
    if (next == nullptr) throw std::runtime_error("out of memory building the request headers");
    header_list_ = next;
  }
  set(easy_, CURLOPT_HTTPHEADER, header_list_, "HTTPHEADER");
}

size_t Transfer::on_body(char* data, size_t size, size_t count, void* self) {
  auto* t = static_cast<Transfer*>(self);
  const size_t n = size * count;
  const size_t room = t->options_.max_response_bytes - std::min(t->options_.max_response_bytes, t->response_.body.size());
  if (n > room) {
    // Keep what fits and stop reading: the rest is not stored anyway.
    t->response_.body.append(data, room);
    t->response_.truncated = true;
    return 0;  // any count but n makes libcurl stop with CURLE_WRITE_ERROR
  }
  t->response_.body.append(data, n);
  return n;
}

size_t Transfer::on_header(char* data, size_t size, size_t count, void* self) {
  auto* t = static_cast<Transfer*>(self);
  const size_t n = size * count;
  t->header_bytes_ += n;
  if (t->header_bytes_ > t->options_.max_header_bytes) {
    t->headers_too_large_ = true;
    return 0;  // aborts the transfer
  }
  t->header_line(std::string_view(data, n));
  return n;
}

void Transfer::header_line(std::string_view line) {
  if (line.substr(0, 5) == "HTTP/") {
    // A new response begins (after 100 Continue, a redirect or a proxy's
    // CONNECT answer): only the final one counts.
    response_.headers.clear();
    response_.reason.clear();
    const size_t sp1 = line.find(' ');
    if (sp1 != std::string_view::npos) {
      const size_t sp2 = line.find(' ', sp1 + 1);
      if (sp2 != std::string_view::npos) response_.reason = std::string(trim(line.substr(sp2 + 1)));
    }
    return;
  }
  if (line.empty() || line.front() == '\r' || line.front() == '\n') return;
  if ((line.front() == ' ' || line.front() == '\t') && !response_.headers.empty()) {
    // Obsolete line folding: part of the previous header's value.
    auto& value = response_.headers.back().second;
    value += ' ';
    value += trim(line);
    return;
  }
  const size_t colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) return;  // not a header line: ignored
  response_.headers.emplace_back(lowercase(trim(line.substr(0, colon))), std::string(trim(line.substr(colon + 1))));
}

Result Transfer::finish(CURLcode code) {
  Result r;
  const std::string explanation = error_[0] != '\0' ? std::string(error_) : std::string(curl_easy_strerror(code));
  if (code == CURLE_OK || (code == CURLE_WRITE_ERROR && response_.truncated)) {
    long status = 0;
    curl_easy_getinfo(easy_, CURLINFO_RESPONSE_CODE, &status);
    r.kind = Result::Kind::response;
    r.response = std::move(response_);
    r.response.status = status;
    return r;
  }
  if (headers_too_large_) {
    r.kind = Result::Kind::failed;
    r.error = "response headers larger than " + std::to_string(options_.max_header_bytes) + " bytes";
    return r;
  }
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT: r.kind = Result::Kind::timed_out; break;
    case CURLE_URL_MALFORMAT:
    case CURLE_BAD_FUNCTION_ARGUMENT: r.kind = Result::Kind::invalid; break;
    default: r.kind = Result::Kind::failed;
  }
  r.error = explanation;
  return r;
}

}  // namespace ferry::http::detail

namespace ferry::http {

std::optional<std::string> Response::header(std::string_view lowercase_name) const {
  for (const auto& [name, value] : headers)
    if (name == lowercase_name) return value;
  return std::nullopt;
}

}  // namespace ferry::http
