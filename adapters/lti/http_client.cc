#include "adapters/lti/http_client.h"

#include <curl/curl.h>

#include <cctype>
#include <memory>
#include <mutex>

namespace mentoring::lti {
namespace {

struct Sink {
  std::string body;
  std::string cache_control;
  std::size_t max_bytes = 0;
  bool too_large = false;
};

std::size_t on_body(char* data, std::size_t size, std::size_t n, void* user) {
  auto* sink = static_cast<Sink*>(user);
  const std::size_t bytes = size * n;
  if (sink->body.size() + bytes > sink->max_bytes) {
    sink->too_large = true;
    return 0;  // makes curl stop with CURLE_WRITE_ERROR
  }
  sink->body.append(data, bytes);
  return bytes;
}

std::size_t on_header(char* data, std::size_t size, std::size_t n, void* user) {
  auto* sink = static_cast<Sink*>(user);
  const std::size_t bytes = size * n;
  std::string line(data, bytes);
  const auto colon = line.find(':');
  if (colon != std::string::npos) {
    std::string name = line.substr(0, colon);
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (name == "cache-control") {
      std::string value = line.substr(colon + 1);
      const auto first = value.find_first_not_of(" \t");
      const auto last = value.find_last_not_of(" \t\r\n");
      sink->cache_control = first == std::string::npos ? std::string() : value.substr(first, last - first + 1);
    }
  }
  return bytes;
}

void global_init_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct FullSink {
  HttpResponse response;
  std::size_t max_bytes = 0;
  bool too_large = false;
};

std::size_t on_full_body(char* data, std::size_t size, std::size_t n, void* user) {
  auto* sink = static_cast<FullSink*>(user);
  const std::size_t bytes = size * n;
  if (sink->response.body.size() + bytes > sink->max_bytes) {
    sink->too_large = true;
    return 0;
  }
  sink->response.body.append(data, bytes);
  return bytes;
}

std::string trim(std::string_view v) {
  const auto first = v.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = v.find_last_not_of(" \t\r\n");
  return std::string(v.substr(first, last - first + 1));
}

std::size_t on_full_header(char* data, std::size_t size, std::size_t n, void* user) {
  auto* sink = static_cast<FullSink*>(user);
  const std::size_t bytes = size * n;
  std::string_view line(data, bytes);
  // A status line starts a new header block (after a 100 Continue, say).
  if (line.substr(0, 5) == "HTTP/") sink->response.headers.clear();
  const auto colon = line.find(':');
  if (colon != std::string_view::npos) {
    std::string name(line.substr(0, colon));
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    sink->response.headers.emplace_back(std::move(name), trim(line.substr(colon + 1)));
  }
  return bytes;
}

}  // namespace

std::string HttpResponse::header(std::string_view lower_name) const {
  for (const auto& [k, v] : headers)
    if (k == lower_name) return v;
  return {};
}

std::vector<std::string> HttpResponse::headers_named(std::string_view lower_name) const {
  std::vector<std::string> out;
  for (const auto& [k, v] : headers)
    if (k == lower_name) out.push_back(v);
  return out;
}

core::Result<HttpResponse> HttpClient::send(const HttpRequest&) {
  return core::Status::failed_precondition("http_send_unsupported", "This HTTP client can only fetch documents.");
}

core::Result<HttpResponse> CurlHttpClient::send(const HttpRequest& request) {
  if (request.method != "GET" && request.method != "POST" && request.method != "PUT")
    return core::Status::invalid("http_method_unsupported", "Only GET, POST and PUT requests are sent.");
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return core::Status::internal("http_client_failed", "The HTTP client could not start.");
  FullSink sink;
  sink.max_bytes = request.max_bytes;
  CURL* h = curl.get();
  curl_slist* list = nullptr;
  for (const auto& [k, v] : request.headers) list = curl_slist_append(list, (k + ": " + v).c_str());
  // No "Expect: 100-continue" round trip for small bodies.
  list = curl_slist_append(list, "Expect:");
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> headers(list, curl_slist_free_all);
  curl_easy_setopt(h, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms_);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms_);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(h, CURLOPT_USERAGENT, "mentoring-lti/1");
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
  if (request.method == "POST" || request.method == "PUT") {
    curl_easy_setopt(h, CURLOPT_POST, 1L);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    if (request.method == "PUT") curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, "PUT");
  }
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_full_body);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_full_header);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &sink);
  const CURLcode rc = curl_easy_perform(h);
  if (sink.too_large)
    return core::Status::unavailable("http_fetch_failed", "The response from " + request.url + " is larger than " +
                                                              std::to_string(request.max_bytes) + " bytes.");
  if (rc != CURLE_OK)
    return core::Status::unavailable("http_fetch_failed",
                                     "Calling " + request.url + " failed: " + curl_easy_strerror(rc) + ".");
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  sink.response.status = static_cast<int>(status);
  return std::move(sink.response);
}

CurlHttpClient::CurlHttpClient(long timeout_ms) : timeout_ms_(timeout_ms) { global_init_once(); }

core::Result<HttpGetResponse> CurlHttpClient::get(const std::string& url, std::size_t max_bytes) {
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return core::Status::internal("http_client_failed", "The HTTP client could not start.");
  Sink sink;
  sink.max_bytes = max_bytes;
  CURL* h = curl.get();
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms_);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms_);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(h, CURLOPT_USERAGENT, "mentoring-lti/1");
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &sink);
  const CURLcode rc = curl_easy_perform(h);
  if (sink.too_large)
    return core::Status::unavailable("http_fetch_failed",
                                     "The response from " + url + " is larger than " + std::to_string(max_bytes) +
                                         " bytes.");
  if (rc != CURLE_OK)
    return core::Status::unavailable("http_fetch_failed",
                                     "Fetching " + url + " failed: " + curl_easy_strerror(rc) + ".");
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  HttpGetResponse out;
  out.status = static_cast<int>(status);
  out.body = std::move(sink.body);
  out.cache_control = std::move(sink.cache_control);
  return out;
}

}  // namespace mentoring::lti
