// The LTI Advantage routes:
//
//   GET  /lti/deep-link?request=...   Deep Linking 2.0: staff choose a scheme to place
//   POST /lti/deep-link               ... and are sent back to the platform with a signed
//                                     LtiDeepLinkingResponse (an auto-posting form)
//   GET  /lti/register                LTI Dynamic Registration 1.0
//   POST /api/v1/lti/contexts/{id}/roster/sync   NRPS 2.0 roster sync (service token)
//   GET  /api/v1/lti/contexts/{id}/roster        the recorded roster (service token)
//   POST /api/v1/lti/contexts/{id}/milestones    AGS 2.0 score for a milestone (service token)
//   GET  /api/v1/lti/contexts/{id}/gradebook/check   AGS 2.0 results compared with the
//                                     milestones reached (service token)
//   POST /api/v1/lti/contexts/{id}/gradebook/repair  ... and the missing scores posted again
//
// The pure parts (claims of the Deep Linking response, checks of a
// platform's OpenID configuration, the registration request and response)
// are declared here so they can be tested without HTTP.
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/http/router.h"
#include "adapters/lti/advantage.h"
#include "adapters/lti/http_client.h"
#include "adapters/lti/routes.h"

namespace mentoring::lti {

// ---------------------------------------------------------------------------
// Deep Linking 2.0

struct DeepLinkResponseInput {
  std::string client_id;  // iss
  std::string issuer;     // aud: the platform
  std::string deployment_id;
  std::string nonce;
  core::UnixSeconds now = 0;
  std::optional<std::string> data;  // the request's data claim, echoed unchanged
  std::int64_t schemeid = 0;
  std::string scheme_name;
  std::string launch_url;  // public_url + "/lti/launch"
};

// How long the platform may take to accept the response.
inline constexpr std::int64_t kDeepLinkResponseSeconds = 300;

// The LtiDeepLinkingResponse claims (Deep Linking 2.0 section 4.5): one
// ltiResourceLink whose custom parameters carry the scheme id.
boost::json::object deep_linking_response_claims(const DeepLinkResponseInput& in);

// ---------------------------------------------------------------------------
// Dynamic Registration 1.0

struct PlatformConfiguration {
  std::string issuer;
  std::string authorization_endpoint;
  std::string token_endpoint;
  std::string jwks_uri;
  std::string registration_endpoint;
  std::vector<std::string> messages_supported;
};

// Checks a platform's openid-configuration document (Dynamic Registration
// 1.0 section 3.4 and 3.5.1): issuer, authorization_endpoint,
// token_endpoint, jwks_uri and registration_endpoint are https URLs (http
// only on loopback); the issuer has the same scheme, host and port as the
// configuration URL it was fetched from; private_key_jwt is among
// token_endpoint_auth_methods_supported and RS256 among
// id_token_signing_alg_values_supported; scopes_supported has "openid";
// the lti-platform-configuration object is present. Errors
// (invalid_argument, field = the member): "registration_config_malformed",
// "registration_config_field_invalid", "registration_issuer_mismatch",
// "registration_config_unsupported".
core::Result<PlatformConfiguration> validate_openid_configuration(std::string_view body,
                                                                  std::string_view configuration_url);

// The tool's registration request (section 3.5.2): client_name, jwks_uri,
// initiate_login_uri, redirect_uris, scope for NRPS and AGS,
// token_endpoint_auth_method private_key_jwt, and the LTI tool
// configuration with domain, target_link_uri, claims and messages
// (LtiResourceLinkRequest and, when the platform supports it,
// LtiDeepLinkingRequest).
boost::json::object tool_registration_request(const std::string& public_url, const PlatformConfiguration& platform);

struct RegistrationResult {
  std::string client_id;
  std::optional<std::string> deployment_id;
};

// Reads the platform's answer (section 3.6): client_id required (1..255),
// the tool configuration's deployment_id when present (1..255). Errors:
// invalid_argument "registration_response_malformed".
core::Result<RegistrationResult> parse_registration_response(std::string_view body);

// ---------------------------------------------------------------------------

struct AdvantageRoutesContext {
  const LtiContext& lti;
  AdvantageServices& services;
  HttpClient& http;  // for Dynamic Registration
};

// Adds the routes above. `ctx` must outlive the router.
void add_advantage_routes(http::Router& router, const AdvantageRoutesContext& ctx);

}  // namespace mentoring::lti
