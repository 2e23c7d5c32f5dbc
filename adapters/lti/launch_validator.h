// Validation of the id_token an LTI 1.3 platform posts to the tool's launch
// endpoint (1EdTech Security Framework 1.0 section 5.1.3 "Authentication
// Response Validation", LTI Core 1.3 section 5, Deep Linking 2.0 section 4.4).
//
// validate_id_token() is pure: the caller supplies the token, what the login
// step expects (issuer, client_id, nonce, target_link_uri), the platform's
// JWKS (already fetched and cached by the caller) and a clock. It returns
// the launch's claims, or a Status whose reason says exactly which check
// failed. Reasons are stable: the web layer maps them to messages
// ("error:<reason>") and logs them.
//
// What the caller still owns:
//   - consuming the nonce (single use) and matching `state` to the login
//     step before calling this: the nonce passed in here is the one stored
//     for that state;
//   - on "launch_kid_unknown", refetching the platform's JWKS once
//     (rate-limited) and validating again: that is how key rotation looks;
//   - the `lti_storage_target` form field of the launch POST (LTI Platform
//     Storage), which is not part of the id_token.
#pragma once

#include <boost/json/object.hpp>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/lti/jose.h"
#include "adapters/lti/roles.h"
#include "core/clock.h"
#include "core/status.h"

namespace mentoring::lti {

// Claim names (LTI Core 1.3, NRPS 2.0, AGS 2.0, Deep Linking 2.0).
inline constexpr std::string_view kClaimMessageType = "https://purl.imsglobal.org/spec/lti/claim/message_type";
inline constexpr std::string_view kClaimVersion = "https://purl.imsglobal.org/spec/lti/claim/version";
inline constexpr std::string_view kClaimDeploymentId = "https://purl.imsglobal.org/spec/lti/claim/deployment_id";
inline constexpr std::string_view kClaimTargetLinkUri = "https://purl.imsglobal.org/spec/lti/claim/target_link_uri";
inline constexpr std::string_view kClaimResourceLink = "https://purl.imsglobal.org/spec/lti/claim/resource_link";
inline constexpr std::string_view kClaimRoles = "https://purl.imsglobal.org/spec/lti/claim/roles";
inline constexpr std::string_view kClaimRoleScopeMentor = "https://purl.imsglobal.org/spec/lti/claim/role_scope_mentor";
inline constexpr std::string_view kClaimContext = "https://purl.imsglobal.org/spec/lti/claim/context";
inline constexpr std::string_view kClaimLis = "https://purl.imsglobal.org/spec/lti/claim/lis";
inline constexpr std::string_view kClaimCustom = "https://purl.imsglobal.org/spec/lti/claim/custom";
inline constexpr std::string_view kClaimLaunchPresentation =
    "https://purl.imsglobal.org/spec/lti/claim/launch_presentation";
inline constexpr std::string_view kClaimNrps = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice";
inline constexpr std::string_view kClaimAgs = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint";
inline constexpr std::string_view kClaimDeepLinkingSettings =
    "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings";

inline constexpr std::string_view kLtiVersion = "1.3.0";

struct LaunchExpectations {
  // The platform's issuer identifier, compared exactly with "iss".
  std::string issuer;
  // Our client_id at that platform; "aud" must contain it.
  std::string client_id;
  // Other audiences a token may name besides client_id. Default: none, so a
  // token addressed to several parties is refused unless the administrator
  // said to trust them (Security Framework 5.1.3: reject an id_token that
  // "contains additional audiences not trusted by the Tool").
  std::set<std::string> trusted_audiences;
  // The platform's deployment ids registered with us. Must not be empty.
  std::set<std::string> deployment_ids;
  // The nonce sent in the authentication request for this launch's state.
  std::string nonce;
  // The target_link_uri the login initiation asked for (and that the tool
  // checked belongs to it). The token's claim must equal it.
  std::string target_link_uri;
  // Accepted signature algorithms. Default: RS256 only.
  JwsAlgSet allowed_algs = default_jws_algs();
  // Allowed difference between our clock and the platform's, 0..86400.
  // Default: 60 s.
  std::int64_t max_clock_skew_seconds = 60;
  // Tokens longer than this are refused before decoding. Default: 16 KiB.
  std::size_t max_token_bytes = 16 * 1024;
};

enum class LtiMessageType { kResourceLinkRequest, kDeepLinkingRequest };
// "LtiResourceLinkRequest", "LtiDeepLinkingRequest".
const char* message_type_name(LtiMessageType type);

struct LaunchContext {
  std::string id;
  std::optional<std::string> label;
  std::optional<std::string> title;
  std::vector<std::string> types;
};

struct LaunchResourceLink {
  std::string id;
  std::optional<std::string> title;
  std::optional<std::string> description;
};

// Names and Role Provisioning Services 2.0 endpoint.
struct NamesRoleService {
  std::string context_memberships_url;
  std::vector<std::string> service_versions;
};

// Assignment and Grade Services 2.0 endpoint.
struct AssignmentGradeService {
  std::vector<std::string> scope;
  std::optional<std::string> lineitems;
  std::optional<std::string> lineitem;
};

struct DeepLinkingSettings {
  std::string deep_link_return_url;
  std::vector<std::string> accept_types;
  std::vector<std::string> accept_presentation_document_targets;
  std::optional<std::string> accept_media_types;
  std::optional<bool> accept_multiple;
  std::optional<bool> auto_create;
  std::optional<std::string> title;
  std::optional<std::string> text;
  // Opaque; must be echoed back unchanged in the Deep Linking response.
  std::optional<std::string> data;
};

struct LaunchPresentation {
  std::optional<std::string> document_target;
  std::optional<std::string> return_url;
  std::optional<std::string> locale;
  std::optional<std::int64_t> width;
  std::optional<std::int64_t> height;
};

struct LaunchClaims {
  std::string iss;
  std::string sub;
  std::string client_id;           // = the expected client_id (found in aud)
  std::vector<std::string> aud;    // every audience, as sent
  std::string deployment_id;
  LtiMessageType message_type = LtiMessageType::kResourceLinkRequest;
  std::string version;             // "1.3.0"
  std::optional<std::string> target_link_uri;  // always set for resource link requests
  std::string kid;                 // the platform key that signed (empty if the JWK has none)
  std::int64_t iat = 0;
  std::int64_t exp = 0;

  std::optional<std::string> name;
  std::optional<std::string> given_name;
  std::optional<std::string> family_name;
  std::optional<std::string> email;
  std::optional<std::string> locale;

  std::vector<std::string> roles;  // as sent (may be empty)
  RoleSet role_set;                // parse_roles(roles)
  std::vector<std::string> role_scope_mentor;  // users this user mentors, if sent

  std::optional<LaunchContext> context;
  std::optional<LaunchResourceLink> resource_link;  // always set for resource link requests
  std::optional<std::string> lis_person_sourcedid;
  boost::json::object custom;      // empty when absent
  std::optional<NamesRoleService> nrps;
  std::optional<AssignmentGradeService> ags;
  std::optional<DeepLinkingSettings> deep_linking_settings;  // always set for deep linking requests
  std::optional<LaunchPresentation> launch_presentation;
};

// Validates `id_token`. The checks run in this order and the first failure
// is returned (reason in quotes; code unauthenticated unless noted):
//
//  1. expectations complete (issuer, client_id, nonce, target_link_uri,
//     deployment_ids, allowed_algs not empty; skew 0..86400): internal
//     "launch_expectations_incomplete"
//  2. size <= max_token_bytes: resource_exhausted "launch_token_too_large"
//  3. compact JWS structure, strict base64url, JSON objects:
//     invalid_argument "launch_token_malformed"; duplicate member names in
//     header or payload: invalid_argument "launch_duplicate_member"
//  4. alg in allowed_algs: "launch_alg_not_allowed"
//  5. no jku/x5u/jwk/x5c/crit header: "launch_header_forbidden"
//  6. key: "launch_kid_unknown" (refetch JWKS once), "launch_kid_missing"
//     (no kid and several keys), "launch_key_alg_mismatch"
//  7. signature: "launch_signature_invalid"
//  8. iss == issuer: "launch_iss_mismatch"
//  9. aud (string or array of strings) contains client_id:
//     "launch_aud_mismatch"; every other audience is in trusted_audiences:
//     "launch_aud_untrusted"; with several audiences azp is required
//     ("launch_azp_missing"); azp, when present, equals client_id
//     ("launch_azp_mismatch")
// 10. exp present and numeric ("launch_exp_missing"), now < exp + skew
//     ("launch_expired"); iat present and numeric ("launch_iat_missing"),
//     iat <= now + skew ("launch_issued_in_future"); nbf, if present,
//     <= now + skew ("launch_not_yet_valid")
// 11. nonce present ("launch_nonce_missing") and equal
//     ("launch_nonce_mismatch")
// 12. sub present, 1..255 chars ("launch_sub_missing"): anonymous launches
//     (no sub) are not supported, because every mentoring record belongs to
//     a person
// 13. deployment_id present ("launch_deployment_missing") and known
//     ("launch_deployment_unknown")
// 14. message_type present ("launch_message_type_missing") and one of
//     LtiResourceLinkRequest, LtiDeepLinkingRequest
//     ("launch_message_type_unsupported")
// 15. version present ("launch_version_missing") and "1.3.0"
//     ("launch_version_unsupported")
// 16. target_link_uri equal to the expected one
//     ("launch_target_link_mismatch"); required for resource link requests
//     ("launch_target_link_missing"), checked when present otherwise
// 17. roles present ("launch_roles_missing") and an array of strings
//     ("launch_roles_malformed"); an empty array is valid (LTI Core 5.3.7)
// 18. resource link requests: resource_link object with a non-empty id of at
//     most 255 chars ("launch_resource_link_missing"); deep linking
//     requests: deep_linking_settings with deep_link_return_url
//     ("launch_deep_linking_settings_missing")
// 19. every optional claim this struct reads has the type the specs give it
//     ("launch_claim_malformed", field = the claim's name)
core::Result<LaunchClaims> validate_id_token(std::string_view id_token, const LaunchExpectations& expected,
                                             const Jwks& jwks, const core::Clock& clock);

}  // namespace mentoring::lti
