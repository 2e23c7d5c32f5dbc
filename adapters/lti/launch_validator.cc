#include "adapters/lti/launch_validator.h"

#include <openssl/crypto.h>

#include <cmath>
#include <exception>
#include <limits>
#include <utility>

namespace mentoring::lti {
namespace {

using core::Code;
using core::Result;
using core::Status;

// Longest identifier accepted for sub and resource_link.id (OIDC Core 2 and
// LTI Core 5.3.5 both say 255 ASCII characters).
constexpr std::size_t kMaxIdLength = 255;

Status fail(std::string reason, std::string message, std::string field = {}) {
  return Status(Code::kUnauthenticated, std::move(reason), std::move(message), std::move(field));
}

Status malformed_claim(std::string_view claim, std::string message) {
  return Status(Code::kUnauthenticated, "launch_claim_malformed", std::move(message), std::string(claim));
}

// One translation from the JOSE layer's reasons to the launch's.
Status translate_jose(const Status& st) {
  const std::string& r = st.reason();
  if (r == "jws_too_large") return Status(Code::kResourceExhausted, "launch_token_too_large", st.message());
  if (r == "jws_malformed") return Status(Code::kInvalidArgument, "launch_token_malformed", st.message());
  if (r == "jws_duplicate_member") return Status(Code::kInvalidArgument, "launch_duplicate_member", st.message());
  if (r == "jws_alg_not_allowed") return fail("launch_alg_not_allowed", st.message());
  if (r == "jws_header_forbidden") return fail("launch_header_forbidden", st.message(), st.field());
  if (r == "jws_kid_unknown") return fail("launch_kid_unknown", st.message());
  if (r == "jws_kid_missing") return fail("launch_kid_missing", st.message());
  if (r == "jws_key_alg_mismatch") return fail("launch_key_alg_mismatch", st.message());
  if (r == "jws_signature_invalid") return fail("launch_signature_invalid", st.message());
  return st;
}

const boost::json::value* find(const boost::json::object& obj, std::string_view name) {
  auto it = obj.find(name);
  return it == obj.end() ? nullptr : &it->value();
}

std::string to_string(const boost::json::string& s) { return std::string(s.data(), s.size()); }

bool equal_constant_time(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

// Times further than this from the epoch (about 31 million years) are not
// dates but attempts to overflow the arithmetic below.
constexpr std::int64_t kMaxNumericDate = 1'000'000'000'000'000;
// Largest clock skew an administrator may configure: one day.
constexpr std::int64_t kMaxClockSkewSeconds = 86'400;

// A NumericDate (RFC 7519 section 2): JSON number of seconds; fractions are
// allowed and truncated towards minus infinity.
std::optional<std::int64_t> numeric_date(const boost::json::value& v) {
  std::int64_t out = 0;
  if (v.is_int64()) {
    out = v.get_int64();
  } else if (v.is_uint64()) {
    if (v.get_uint64() > static_cast<std::uint64_t>(kMaxNumericDate)) return std::nullopt;
    out = static_cast<std::int64_t>(v.get_uint64());
  } else if (v.is_double()) {
    double d = v.get_double();
    if (!std::isfinite(d) || std::fabs(d) > static_cast<double>(kMaxNumericDate)) return std::nullopt;
    out = static_cast<std::int64_t>(std::floor(d));
  } else {
    return std::nullopt;
  }
  if (out > kMaxNumericDate || out < -kMaxNumericDate) return std::nullopt;
  return out;
}

// Optional string member: absent is fine, present must be a string.
Status read_string(const boost::json::object& obj, std::string_view name, std::string_view claim,
                   std::optional<std::string>& out) {
  const boost::json::value* v = find(obj, name);
  if (v == nullptr) return Status::ok();
  if (!v->is_string()) return malformed_claim(claim, "The claim \"" + std::string(name) + "\" is not a string.");
  out = to_string(v->get_string());
  return Status::ok();
}

Status read_bool(const boost::json::object& obj, std::string_view name, std::string_view claim,
                 std::optional<bool>& out) {
  const boost::json::value* v = find(obj, name);
  if (v == nullptr) return Status::ok();
  if (!v->is_bool()) return malformed_claim(claim, "The claim \"" + std::string(name) + "\" is not a boolean.");
  out = v->get_bool();
  return Status::ok();
}

Status read_int(const boost::json::object& obj, std::string_view name, std::string_view claim,
                std::optional<std::int64_t>& out) {
  const boost::json::value* v = find(obj, name);
  if (v == nullptr) return Status::ok();
  if (!v->is_int64() && !(v->is_uint64() && v->get_uint64() <= std::numeric_limits<std::int64_t>::max())) {
    return malformed_claim(claim, "The claim \"" + std::string(name) + "\" is not an integer.");
  }
  out = v->to_number<std::int64_t>();
  return Status::ok();
}

// Optional array of strings.
Status read_strings(const boost::json::object& obj, std::string_view name, std::string_view claim,
                    std::vector<std::string>& out) {
  const boost::json::value* v = find(obj, name);
  if (v == nullptr) return Status::ok();
  if (!v->is_array()) return malformed_claim(claim, "The claim \"" + std::string(name) + "\" is not an array.");
  for (const boost::json::value& item : v->get_array()) {
    if (!item.is_string()) {
      return malformed_claim(claim, "The claim \"" + std::string(name) + "\" has a member that is not a string.");
    }
    out.push_back(to_string(item.get_string()));
  }
  return Status::ok();
}

// An optional claim whose value must be an object; null when absent.
Result<const boost::json::object*> optional_object(const boost::json::object& claims, std::string_view name) {
  const boost::json::value* v = find(claims, name);
  if (v == nullptr) return static_cast<const boost::json::object*>(nullptr);
  if (!v->is_object()) return malformed_claim(name, "The claim \"" + std::string(name) + "\" is not an object.");
  return &v->get_object();
}

Status check_expectations(const LaunchExpectations& e) {
  if (e.issuer.empty() || e.client_id.empty() || e.nonce.empty() || e.target_link_uri.empty() ||
      e.deployment_ids.empty() || e.allowed_algs.empty() || e.max_clock_skew_seconds < 0 ||
      e.max_clock_skew_seconds > kMaxClockSkewSeconds) {
    return Status::internal("launch_expectations_incomplete",
                            "The launch cannot be checked: the expected issuer, client_id, nonce, "
                            "target_link_uri, deployments or algorithms are missing, or the clock skew "
                            "is not between 0 and 86400 seconds.");
  }
  return Status::ok();
}

Status check_audience(const boost::json::object& claims, const std::string& client_id,
                      const std::set<std::string>& trusted, LaunchClaims& out) {
  const boost::json::value* aud = find(claims, "aud");
  if (aud == nullptr) return fail("launch_aud_mismatch", "The token has no audience (aud).", "aud");
  if (aud->is_string()) {
    out.aud.push_back(to_string(aud->get_string()));
  } else if (aud->is_array()) {
    for (const boost::json::value& item : aud->get_array()) {
      if (!item.is_string()) return fail("launch_aud_mismatch", "The token's audience list has a non-string.", "aud");
      out.aud.push_back(to_string(item.get_string()));
    }
  } else {
    return fail("launch_aud_mismatch", "The token's audience (aud) is neither a string nor an array.", "aud");
  }
  bool found = false;
  for (const std::string& a : out.aud) found = found || a == client_id;
  if (!found) return fail("launch_aud_mismatch", "The token is not meant for this tool's client_id.", "aud");
  for (const std::string& a : out.aud) {
    if (a != client_id && trusted.count(a) == 0) {
      return fail("launch_aud_untrusted", "The token is also addressed to a party this tool does not trust.", "aud");
    }
  }
  const boost::json::value* azp = find(claims, "azp");
  // Security Framework 5.1.3 items 3 and 4 (after OIDC Core 3.1.3.7).
  if (out.aud.size() > 1 && azp == nullptr) {
    return fail("launch_azp_missing", "The token has several audiences but no authorized party (azp).", "azp");
  }
  if (azp != nullptr && (!azp->is_string() || azp->get_string() != client_id)) {
    return fail("launch_azp_mismatch", "The token's authorized party (azp) is not this tool's client_id.", "azp");
  }
  out.client_id = client_id;
  return Status::ok();
}

Status check_times(const boost::json::object& claims, std::int64_t now, std::int64_t skew, LaunchClaims& out) {
  const boost::json::value* exp = find(claims, "exp");
  std::optional<std::int64_t> exp_value = exp ? numeric_date(*exp) : std::nullopt;
  if (!exp_value) return fail("launch_exp_missing", "The token has no numeric expiry time (exp).", "exp");
  // Subtraction, not addition, so a huge exp cannot overflow.
  if (now - skew >= *exp_value) return fail("launch_expired", "The token has expired.", "exp");
  const boost::json::value* iat = find(claims, "iat");
  std::optional<std::int64_t> iat_value = iat ? numeric_date(*iat) : std::nullopt;
  if (!iat_value) return fail("launch_iat_missing", "The token has no numeric issue time (iat).", "iat");
  if (*iat_value - skew > now) return fail("launch_issued_in_future", "The token was issued in the future.", "iat");
  if (const boost::json::value* nbf = find(claims, "nbf")) {
    std::optional<std::int64_t> nbf_value = numeric_date(*nbf);
    if (!nbf_value) return malformed_claim("nbf", "The token's not-before time (nbf) is not a number.");
    if (*nbf_value - skew > now) return fail("launch_not_yet_valid", "The token is not valid yet.", "nbf");
  }
  out.exp = *exp_value;
  out.iat = *iat_value;
  return Status::ok();
}

Status read_optional_claims(const boost::json::object& claims, LaunchClaims& out) {
  MENTORING_RETURN_IF_ERROR(read_string(claims, "name", "name", out.name));
  MENTORING_RETURN_IF_ERROR(read_string(claims, "given_name", "given_name", out.given_name));
  MENTORING_RETURN_IF_ERROR(read_string(claims, "family_name", "family_name", out.family_name));
  MENTORING_RETURN_IF_ERROR(read_string(claims, "email", "email", out.email));
  MENTORING_RETURN_IF_ERROR(read_string(claims, "locale", "locale", out.locale));
  MENTORING_RETURN_IF_ERROR(read_strings(claims, kClaimRoleScopeMentor, kClaimRoleScopeMentor, out.role_scope_mentor));

  auto context = optional_object(claims, kClaimContext);
  if (!context.is_ok()) return context.status();
  if (*context != nullptr) {
    const boost::json::object& c = **context;
    const boost::json::value* id = find(c, "id");
    if (id == nullptr || !id->is_string() || id->get_string().empty() || id->get_string().size() > kMaxIdLength) {
      return malformed_claim(kClaimContext, "The context claim has no valid id.");
    }
    LaunchContext ctx;
    ctx.id = to_string(id->get_string());
    MENTORING_RETURN_IF_ERROR(read_string(c, "label", kClaimContext, ctx.label));
    MENTORING_RETURN_IF_ERROR(read_string(c, "title", kClaimContext, ctx.title));
    MENTORING_RETURN_IF_ERROR(read_strings(c, "type", kClaimContext, ctx.types));
    out.context = std::move(ctx);
  }

  auto lis = optional_object(claims, kClaimLis);
  if (!lis.is_ok()) return lis.status();
  if (*lis != nullptr) MENTORING_RETURN_IF_ERROR(read_string(**lis, "person_sourcedid", kClaimLis, out.lis_person_sourcedid));

  auto custom = optional_object(claims, kClaimCustom);
  if (!custom.is_ok()) return custom.status();
  if (*custom != nullptr) out.custom = **custom;

  auto nrps = optional_object(claims, kClaimNrps);
  if (!nrps.is_ok()) return nrps.status();
  if (*nrps != nullptr) {
    NamesRoleService service;
    std::optional<std::string> url;
    MENTORING_RETURN_IF_ERROR(read_string(**nrps, "context_memberships_url", kClaimNrps, url));
    if (!url || url->empty()) return malformed_claim(kClaimNrps, "The NRPS claim has no context_memberships_url.");
    service.context_memberships_url = *url;
    MENTORING_RETURN_IF_ERROR(read_strings(**nrps, "service_versions", kClaimNrps, service.service_versions));
    out.nrps = std::move(service);
  }

  auto ags = optional_object(claims, kClaimAgs);
  if (!ags.is_ok()) return ags.status();
  if (*ags != nullptr) {
    AssignmentGradeService service;
    MENTORING_RETURN_IF_ERROR(read_strings(**ags, "scope", kClaimAgs, service.scope));
    MENTORING_RETURN_IF_ERROR(read_string(**ags, "lineitems", kClaimAgs, service.lineitems));
    MENTORING_RETURN_IF_ERROR(read_string(**ags, "lineitem", kClaimAgs, service.lineitem));
    out.ags = std::move(service);
  }

  auto presentation = optional_object(claims, kClaimLaunchPresentation);
  if (!presentation.is_ok()) return presentation.status();
  if (*presentation != nullptr) {
    LaunchPresentation p;
    const boost::json::object& o = **presentation;
    MENTORING_RETURN_IF_ERROR(read_string(o, "document_target", kClaimLaunchPresentation, p.document_target));
    MENTORING_RETURN_IF_ERROR(read_string(o, "return_url", kClaimLaunchPresentation, p.return_url));
    MENTORING_RETURN_IF_ERROR(read_string(o, "locale", kClaimLaunchPresentation, p.locale));
    MENTORING_RETURN_IF_ERROR(read_int(o, "width", kClaimLaunchPresentation, p.width));
    MENTORING_RETURN_IF_ERROR(read_int(o, "height", kClaimLaunchPresentation, p.height));
    out.launch_presentation = std::move(p);
  }
  return Status::ok();
}

Status read_deep_linking_settings(const boost::json::object& claims, LaunchClaims& out) {
  const boost::json::value* v = find(claims, kClaimDeepLinkingSettings);
  const boost::json::value* url = (v != nullptr && v->is_object()) ? find(v->get_object(), "deep_link_return_url") : nullptr;
  if (url == nullptr || !url->is_string() || url->get_string().empty()) {
    return fail("launch_deep_linking_settings_missing",
                "The deep linking request has no deep_linking_settings with a deep_link_return_url.",
                std::string(kClaimDeepLinkingSettings));
  }
  const boost::json::object& o = v->get_object();
  DeepLinkingSettings s;
  s.deep_link_return_url = to_string(url->get_string());
  std::string_view claim = kClaimDeepLinkingSettings;
  MENTORING_RETURN_IF_ERROR(read_strings(o, "accept_types", claim, s.accept_types));
  MENTORING_RETURN_IF_ERROR(
      read_strings(o, "accept_presentation_document_targets", claim, s.accept_presentation_document_targets));
  MENTORING_RETURN_IF_ERROR(read_string(o, "accept_media_types", claim, s.accept_media_types));
  MENTORING_RETURN_IF_ERROR(read_bool(o, "accept_multiple", claim, s.accept_multiple));
  MENTORING_RETURN_IF_ERROR(read_bool(o, "auto_create", claim, s.auto_create));
  MENTORING_RETURN_IF_ERROR(read_string(o, "title", claim, s.title));
  MENTORING_RETURN_IF_ERROR(read_string(o, "text", claim, s.text));
  MENTORING_RETURN_IF_ERROR(read_string(o, "data", claim, s.data));
  out.deep_linking_settings = std::move(s);
  return Status::ok();
}

Result<LaunchClaims> validate(std::string_view id_token, const LaunchExpectations& expected, const Jwks& jwks,
                              const core::Clock& clock) {
  MENTORING_RETURN_IF_ERROR(check_expectations(expected));
  auto parsed = parse_compact_jws(id_token, expected.max_token_bytes);
  if (!parsed.is_ok()) return translate_jose(parsed.status());
  const Jws& jws = *parsed;
  Status verified = verify_signature(jws, jwks, expected.allowed_algs);
  if (!verified.is_ok()) return translate_jose(verified);

  // From here on the payload is the platform's own words.
  const boost::json::object& claims = jws.payload;
  LaunchClaims out;
  auto key = select_jwk(jws, jwks);
  if (key.is_ok()) out.kid = (*key)->kid;

  const boost::json::value* iss = find(claims, "iss");
  if (iss == nullptr || !iss->is_string() || iss->get_string() != expected.issuer) {
    return fail("launch_iss_mismatch", "The token was not issued by the expected platform.", "iss");
  }
  out.iss = expected.issuer;

  MENTORING_RETURN_IF_ERROR(check_audience(claims, expected.client_id, expected.trusted_audiences, out));
  MENTORING_RETURN_IF_ERROR(check_times(claims, clock.now(), expected.max_clock_skew_seconds, out));

  const boost::json::value* nonce = find(claims, "nonce");
  if (nonce == nullptr || !nonce->is_string() || nonce->get_string().empty()) {
    return fail("launch_nonce_missing", "The token has no nonce.", "nonce");
  }
  if (!equal_constant_time(std::string_view(nonce->get_string().data(), nonce->get_string().size()),
                           expected.nonce)) {
    return fail("launch_nonce_mismatch", "The token's nonce is not the one sent for this login.", "nonce");
  }

  const boost::json::value* sub = find(claims, "sub");
  if (sub == nullptr || !sub->is_string() || sub->get_string().empty() || sub->get_string().size() > kMaxIdLength) {
    return fail("launch_sub_missing",
                "The token names no user (sub); anonymous launches are not supported by this tool.", "sub");
  }
  out.sub = to_string(sub->get_string());

  const boost::json::value* deployment = find(claims, kClaimDeploymentId);
  if (deployment == nullptr || !deployment->is_string() || deployment->get_string().empty()) {
    return fail("launch_deployment_missing", "The token has no deployment_id.", std::string(kClaimDeploymentId));
  }
  out.deployment_id = to_string(deployment->get_string());
  if (expected.deployment_ids.count(out.deployment_id) == 0) {
    return fail("launch_deployment_unknown", "The token's deployment_id is not registered with this tool.",
                std::string(kClaimDeploymentId));
  }

  const boost::json::value* type = find(claims, kClaimMessageType);
  if (type == nullptr || !type->is_string()) {
    return fail("launch_message_type_missing", "The token has no message_type.", std::string(kClaimMessageType));
  }
  if (type->get_string() == "LtiResourceLinkRequest") {
    out.message_type = LtiMessageType::kResourceLinkRequest;
  } else if (type->get_string() == "LtiDeepLinkingRequest") {
    out.message_type = LtiMessageType::kDeepLinkingRequest;
  } else {
    return fail("launch_message_type_unsupported", "The token's message_type is not one this tool handles.",
                std::string(kClaimMessageType));
  }

  const boost::json::value* version = find(claims, kClaimVersion);
  if (version == nullptr || !version->is_string()) {
    return fail("launch_version_missing", "The token has no LTI version.", std::string(kClaimVersion));
  }
  if (version->get_string() != kLtiVersion) {
    return fail("launch_version_unsupported", "The token's LTI version is not 1.3.0.", std::string(kClaimVersion));
  }
  out.version = std::string(kLtiVersion);

  const boost::json::value* target = find(claims, kClaimTargetLinkUri);
  if (target != nullptr) {
    if (!target->is_string() || target->get_string() != expected.target_link_uri) {
      return fail("launch_target_link_mismatch",
                  "The token's target_link_uri is not the one the login step was started for.",
                  std::string(kClaimTargetLinkUri));
    }
    out.target_link_uri = expected.target_link_uri;
  } else if (out.message_type == LtiMessageType::kResourceLinkRequest) {
    return fail("launch_target_link_missing", "The token has no target_link_uri.", std::string(kClaimTargetLinkUri));
  }

  const boost::json::value* roles = find(claims, kClaimRoles);
  if (roles == nullptr) return fail("launch_roles_missing", "The token has no roles claim.", std::string(kClaimRoles));
  if (!roles->is_array()) {
    return fail("launch_roles_malformed", "The token's roles claim is not an array.", std::string(kClaimRoles));
  }
  for (const boost::json::value& role : roles->get_array()) {
    if (!role.is_string()) {
      return fail("launch_roles_malformed", "The token's roles claim has a member that is not a string.",
                  std::string(kClaimRoles));
    }
    out.roles.push_back(to_string(role.get_string()));
  }
  out.role_set = parse_roles(out.roles);

  if (out.message_type == LtiMessageType::kResourceLinkRequest) {
    const boost::json::value* link = find(claims, kClaimResourceLink);
    const boost::json::value* id =
        (link != nullptr && link->is_object()) ? find(link->get_object(), "id") : nullptr;
    if (id == nullptr || !id->is_string() || id->get_string().empty() || id->get_string().size() > kMaxIdLength) {
      return fail("launch_resource_link_missing", "The resource link request has no resource_link id.",
                  std::string(kClaimResourceLink));
    }
    LaunchResourceLink rl;
    rl.id = to_string(id->get_string());
    MENTORING_RETURN_IF_ERROR(read_string(link->get_object(), "title", kClaimResourceLink, rl.title));
    MENTORING_RETURN_IF_ERROR(read_string(link->get_object(), "description", kClaimResourceLink, rl.description));
    out.resource_link = std::move(rl);
  } else {
    MENTORING_RETURN_IF_ERROR(read_deep_linking_settings(claims, out));
  }

  MENTORING_RETURN_IF_ERROR(read_optional_claims(claims, out));
  return out;
}

}  // namespace

const char* message_type_name(LtiMessageType type) {
  switch (type) {
    case LtiMessageType::kResourceLinkRequest:
      return "LtiResourceLinkRequest";
    case LtiMessageType::kDeepLinkingRequest:
      return "LtiDeepLinkingRequest";
  }
  return "";
}

Result<LaunchClaims> validate_id_token(std::string_view id_token, const LaunchExpectations& expected,
                                       const Jwks& jwks, const core::Clock& clock) {
  try {
    return validate(id_token, expected, jwks, clock);
  } catch (const std::exception& e) {
    // Only allocation failures can get here; say so rather than crash.
    return Status::internal("launch_validation_failed", std::string("The launch could not be checked: ") + e.what());
  }
}

}  // namespace mentoring::lti
