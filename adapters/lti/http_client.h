// The outgoing HTTP the LTI adapter needs (fetching a platform's JWKS),
// behind an interface so tests can answer with whatever they like.
#pragma once

#include <cstddef>
#include <string>

#include "core/status.h"

namespace mentoring::lti {

struct HttpGetResponse {
  int status = 0;
  std::string body;
  std::string cache_control;  // the Cache-Control header, "" when absent
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;
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

 private:
  long timeout_ms_;
};

}  // namespace mentoring::lti
