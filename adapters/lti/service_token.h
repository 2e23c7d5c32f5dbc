// OAuth 2 access tokens for the LTI Advantage services (1EdTech Security
// Framework 1.0 section 4.1): the client_credentials grant with a signed JWT
// client assertion (RFC 7523, RFC 7521 section 4.2), cached per platform and
// scope set until shortly before they expire.
//
// The assertion carries iss = sub = our client_id, aud = the platform's
// token audience (its token endpoint unless the registration names another),
// a random jti, iat and a short exp; it is signed with the tool's active key,
// whose public half platforms read from GET /lti/jwks.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "adapters/lti/http_client.h"
#include "core/clock.h"
#include "core/status.h"

namespace mentoring::lti {

inline constexpr const char* kScopeNrps = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly";
inline constexpr const char* kScopeLineItem = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem";
inline constexpr const char* kScopeResultReadonly = "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly";
inline constexpr const char* kScopeScore = "https://purl.imsglobal.org/spec/lti-ags/scope/score";

// Life of a client assertion: long enough for one round trip, short enough
// that a captured assertion is soon worthless.
inline constexpr std::int64_t kClientAssertionSeconds = 60;
// A cached access token is dropped this long before the platform said it
// expires, so a request never leaves with a token about to lapse.
inline constexpr std::int64_t kAccessTokenMarginSeconds = 60;

// Where and as whom to ask for a token.
struct TokenEndpoint {
  std::int64_t platformid = 0;
  std::string client_id;
  std::string token_url;  // the platform's OAuth 2 token endpoint
  std::string audience;   // "aud" of the assertion; "" means token_url
};

// The claims of a client assertion (pure).
boost::json::object client_assertion_claims(const TokenEndpoint& endpoint, const std::string& jti,
                                            core::UnixSeconds now);

// application/x-www-form-urlencoded encoding of one value (RFC 3986
// unreserved characters kept, everything else percent-encoded).
std::string form_encode(std::string_view value);

// Signs claims with the tool's active key (ToolKeys::sign in production).
using ClaimsSigner = std::function<core::Result<std::string>(const boost::json::object&)>;

class ServiceTokens {
 public:
  ServiceTokens(HttpClient& http, ClaimsSigner signer, const core::Clock& clock)
      : http_(http), signer_(std::move(signer)), clock_(clock) {}

  // A bearer token for `scopes` at the endpoint: the cached one while it has
  // more than kAccessTokenMarginSeconds to live, else a new one. Errors:
  //   failed_precondition "service_token_url_missing"  the registration has no token URL
  //   unavailable "http_fetch_failed"                  the token endpoint could not be reached
  //   unavailable "service_token_unavailable"          it answered 5xx
  //   permission_denied "service_token_refused"        it answered 4xx (the
  //                                                    message quotes its "error")
  //   unavailable "service_token_malformed"            its answer is not a
  //                                                    bearer token response
  core::Result<std::string> access_token(const TokenEndpoint& endpoint, std::vector<std::string> scopes);
  // Forgets the cached token (after a service answered 401 with it).
  void invalidate(const TokenEndpoint& endpoint, std::vector<std::string> scopes);

 private:
  struct Cached {
    std::string token;
    core::UnixSeconds expires_at = 0;
  };
  static std::string cache_key(const TokenEndpoint& endpoint, std::vector<std::string>& scopes);

  HttpClient& http_;
  ClaimsSigner signer_;
  const core::Clock& clock_;
  std::mutex mu_;  // guards cache_
  std::map<std::string, Cached> cache_;
};

}  // namespace mentoring::lti
