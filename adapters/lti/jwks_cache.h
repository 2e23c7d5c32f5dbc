// A cache of platforms' JWK Sets, fetched through an HttpClient.
//
// Policy (all times from the injected clock):
//   - a fetched set is kept for the response's Cache-Control max-age,
//     default_max_age_seconds when it gives none (or cannot be read), and
//     never longer than max_max_age_seconds; "no-store"/"no-cache" mean 0;
//   - when a token names a kid the cached set lacks, the caller asks for
//     refetch(): it fetches again at most once per min_refetch_interval_seconds
//     per platform, so a stream of tokens with made-up kids cannot make us
//     hammer the platform;
//   - a failed fetch is never cached and never replaces a good set; the
//     next call tries again, so a platform that comes back is used at once.
// Thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "adapters/lti/http_client.h"
#include "adapters/lti/jose.h"
#include "core/clock.h"
#include "core/status.h"

namespace mentoring::lti {

struct JwksCachePolicy {
  // Kept this long when the platform sends no max-age. Default: 300 s.
  std::int64_t default_max_age_seconds = 300;
  // Never kept longer than this, whatever the platform says. Default: 24 h.
  std::int64_t max_max_age_seconds = 86400;
  // At most one refetch() per platform in this window. Default: 30 s.
  std::int64_t min_refetch_interval_seconds = 30;
};

// The max-age of a Cache-Control value in seconds: nullopt when absent or
// unreadable; 0 for no-store or no-cache.
std::optional<std::int64_t> cache_control_max_age(std::string_view cache_control);

class JwksCache {
 public:
  JwksCache(HttpClient& client, const core::Clock& clock, JwksCachePolicy policy = {});

  // The set for platform `key` (any stable id), fetched from `url` unless a
  // fresh copy is cached. Errors:
  //   unavailable "jwks_unavailable": the platform did not answer, or answered
  //     with a status other than 200 (the message says which);
  //   unavailable "jwks_invalid": the answer is not a usable JWK Set (the
  //     message gives Jwks::parse's reason).
  core::Result<std::shared_ptr<const Jwks>> get(const std::string& key, const std::string& url);

  // Fetches again after a token named an unknown kid, unless the last
  // refetch for `key` was less than min_refetch_interval_seconds ago:
  // resource_exhausted "jwks_refetch_rate_limited". Otherwise as get().
  core::Result<std::shared_ptr<const Jwks>> refetch(const std::string& key, const std::string& url);

  // How many HTTP fetches this cache made (for tests and metrics).
  std::int64_t fetch_count() const;

 private:
  struct Entry {
    std::shared_ptr<const Jwks> jwks;
    std::string url;
    std::int64_t expires_ms = 0;
    std::optional<std::int64_t> last_refetch_ms;
  };
  core::Result<std::shared_ptr<const Jwks>> fetch_locked(Entry& entry, const std::string& url);

  HttpClient& client_;
  const core::Clock& clock_;
  const JwksCachePolicy policy_;
  mutable std::mutex mu_;
  std::map<std::string, Entry> entries_;
  std::int64_t fetches_ = 0;
};

}  // namespace mentoring::lti
