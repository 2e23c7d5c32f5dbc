// The security policy with the registered portals' origins, read from the
// database and kept for a short while, so a newly registered platform can
// frame the pages within seconds and a busy server does not read the
// registrations on every response.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "adapters/web/security_headers.h"
#include "core/clock.h"
#include "core/stores.h"

namespace mentoring::web {

// The origins a platform's pages can be served from: its issuer's and its
// OIDC login URL's (normally the portal's own web origin). Entries that are
// not http(s) URLs, or not allowed as origins (see normalise_origin), are
// left out.
std::vector<std::string> platform_origins(const core::LtiPlatform& platform);

class PortalPolicyCache {
 public:
  // `base` supplies the origins configured by hand; `ttl_seconds` how long
  // one reading of the registrations is used (0: read on every call).
  PortalPolicyCache(core::Database& db, const core::Clock& clock, SecurityPolicy base, std::int64_t ttl_seconds = 10);

  // The base policy plus every registered platform's origins. When the
  // database cannot be read, the last good policy (or the base) is used.
  // Thread-safe.
  SecurityPolicy current() const;

 private:
  core::Database& db_;
  const core::Clock& clock_;
  SecurityPolicy base_;
  std::int64_t ttl_seconds_;
  mutable std::mutex mu_;
  mutable SecurityPolicy cached_;
  mutable std::int64_t loaded_at_ms_ = 0;
  mutable bool loaded_ = false;
};

}  // namespace mentoring::web
