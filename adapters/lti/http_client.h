// The outgoing HTTP the LTI adapter needs (a platform's JWKS, its OAuth 2
// token endpoint, Names and Role Provisioning, Assignment and Grade
// Services, Dynamic Registration), behind an interface so tests can answer
// with whatever they like.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"

namespace mentoring::lti {

struct HttpGetResponse {
  int status = 0;
  std::string body;
  std::string cache_control;  // the Cache-Control header, "" when absent
};

// Any request: method, URL, headers and body.
struct HttpRequest {
  std::string method = "GET";
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // Largest response body accepted. Default: 1 MiB.
  std::size_t max_bytes = 1024 * 1024;
};

struct HttpResponse {
  int status = 0;
  std::string body;
  // Response headers in order, names in lower case, values trimmed.
  std::vector<std::pair<std::string, std::string>> headers;

  // The first header of that (lower-case) name, "" when absent.
  std::string header(std::string_view lower_name) const;
  // Every header of that name (Link may come several times).
  std::vector<std::string> headers_named(std::string_view lower_name) const;
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  // Sends `request` (following no redirects). Errors as get(). The default
  // implementation answers failed_precondition "http_send_unsupported", for
  // clients that only fetch keys.
  virtual core::Result<HttpResponse> send(const HttpRequest& request);
  // GETs `url` (http or https). A transport failure (refused, timed out,
  // TLS, body over `max_bytes`) is unavailable "http_fetch_failed" naming the
  // URL; any HTTP status comes back as a response for the caller to judge.
  virtual core::Result<HttpGetResponse> get(const std::string& url, std::size_t max_bytes) = 0;
};

// libcurl. Follows no redirects (a JWKS URL is registered exactly), verifies
// TLS certificates and host names, and gives up after `timeout_ms`.
// Thread-safe: each call uses its own easy handle.
class CurlHttpClient final : public HttpClient {
 public:
  explicit CurlHttpClient(long timeout_ms = 5000);
  core::Result<HttpGetResponse> get(const std::string& url, std::size_t max_bytes) override;
  core::Result<HttpResponse> send(const HttpRequest& request) override;

 private:
  long timeout_ms_;
};

}  // namespace mentoring::lti
