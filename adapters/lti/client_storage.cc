#include "adapters/lti/client_storage.h"

#include <boost/url/parse.hpp>
#include <cctype>

#include "adapters/web/secrets.h"

namespace mentoring::lti {
using core::Result;
using core::Status;

std::string storage_state_key(std::string_view state) { return "state_" + std::string(state); }
std::string storage_nonce_key(std::string_view nonce) { return "nonce_" + std::string(nonce); }

Status check_storage_target(std::string_view target) {
  if (target.empty() || target.size() > 255)
    return Status::invalid("login_storage_target_invalid", "The lti_storage_target must be 1 to 255 characters.",
                           "lti_storage_target");
  for (char c : target) {
    const bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' || c == ':';
    if (!ok)
      return Status::invalid("login_storage_target_invalid",
                             "The lti_storage_target must be a frame name of letters, digits, '_', '-', '.' or ':'.",
                             "lti_storage_target");
  }
  return Status::ok();
}

Result<std::string> url_origin(std::string_view url) {
  auto u = boost::urls::parse_absolute_uri(url);
  if (!u || u->host().empty())
    return Status::invalid("login_auth_url_invalid", "The platform's registered login URL is not an absolute URL.");
  std::string scheme(u->scheme());
  for (char& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (scheme != "https" && scheme != "http")
    return Status::invalid("login_auth_url_invalid", "The platform's registered login URL is not an http(s) URL.");
  std::string host(u->encoded_host());
  for (char& c : host) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string out = scheme + "://" + host;
  if (u->has_port()) {
    const std::string port(u->port());
    const bool default_port = (scheme == "https" && port == "443") || (scheme == "http" && port == "80");
    if (!port.empty() && !default_port) out += ":" + port;
  }
  return out;
}

Status check_storage_proof(const StorageProof& proof, std::string_view tool_origin, std::string_view state,
                           std::string_view nonce) {
  if (proof.origin.empty() || proof.origin != tool_origin)
    return Status::unauthenticated("launch_storage_origin_invalid",
                                   "The sign-in check was not sent from Mentoring's own page.");
  if (!proof.error.empty()) {
    if (proof.error == "mismatch")
      return Status::unauthenticated("launch_storage_mismatch",
                                     "The portal's frame holds different sign-in values than this sign-in.");
    return Status::unauthenticated("launch_storage_unavailable",
                                   "The portal's frame did not give back the sign-in values it was asked to keep.");
  }
  if (proof.state.empty() || proof.nonce.empty() || !web::constant_time_equals(proof.state, state) ||
      !web::constant_time_equals(proof.nonce, nonce))
    return Status::unauthenticated("launch_storage_mismatch",
                                   "The portal's frame holds different sign-in values than this sign-in.");
  return Status::ok();
}

}  // namespace mentoring::lti
