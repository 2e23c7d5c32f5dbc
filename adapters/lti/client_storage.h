// LTI client-side OIDC storage (1EdTech "OIDC Login with LTI Client Side
// postMessages" and "LTI postMessage Storage"): when a platform sends
// `lti_storage_target` with the login, the tool keeps the login's state and
// nonce in the platform's frame as well as in a cookie, so a browser that
// blocks the tool's cookies inside the portal's iframe can still prove it
// is the one that started the login.
//
//   1. Login: the answer is a page (lti_storage_login.mustache, script
//      static/js/lti_storage.js) that sends `lti.put_data` for
//      "state_<state>" and "nonce_<nonce>" to the frame named by
//      `lti_storage_target` (or the frame the platform's
//      `lti.capabilities.response` names), with the origin of the
//      platform's OIDC authorization URL as target origin, and then goes
//      on to the platform.
//   2. Launch without the state cookie: the id_token is checked, nothing is
//      written, and the answer is a page (lti_storage_launch.mustache) that
//      asks for both values back with `lti.get_data`, compares them, and
//      posts the launch again to /lti/launch from the tool's own origin with
//      the values it read (lti_storage_state, lti_storage_nonce).
//   3. That second post is accepted only from the tool's own origin (its
//      Origin header), with both values equal to the stored login's; only
//      then is the state consumed and the nonce recorded, once, as for a
//      cookie launch. A page posted from anywhere else cannot carry the
//      values, because only the tool's own script, answered by the
//      platform's frame in this browser, puts them in the form.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace mentoring::lti {

// Form fields of the launch posted again by the tool's own page.
inline constexpr std::string_view kStorageStateField = "lti_storage_state";
inline constexpr std::string_view kStorageNonceField = "lti_storage_nonce";
// Set instead when the platform's frame did not give the values back:
// "no_answer" (no answer in time, or the frame is not on the platform's
// origin), "mismatch" (values that differ) or "platform_error".
inline constexpr std::string_view kStorageErrorField = "lti_storage_error";

// The keys the values are stored under in the platform's frame.
std::string storage_state_key(std::string_view state);
std::string storage_nonce_key(std::string_view nonce);

// Checks an `lti_storage_target` frame name: "_parent", or 1 to 255 of
// A-Z a-z 0-9 _ - . : (a frame name the page can carry unescaped in a
// data attribute and in script). Error: invalid_argument
// "login_storage_target_invalid".
core::Status check_storage_target(std::string_view target);

// The origin browsers report for a page at `url` (scheme://host[:port],
// lower case, no default port): the target origin of every message to the
// platform and the only origin whose answers are read. Error:
// invalid_argument "login_auth_url_invalid" when `url` is not an absolute
// http(s) URL with a host.
core::Result<std::string> url_origin(std::string_view url);

struct StorageProof {
  std::string origin;  // the request's Origin header
  std::string state;   // lti_storage_state
  std::string nonce;   // lti_storage_nonce
  std::string error;   // lti_storage_error
};

// Checks the launch posted again by the tool's own page. `tool_origin` is
// url_origin(public_url); `state` and `nonce` are the stored login's.
// Errors: unauthenticated "launch_storage_origin_invalid" (not posted from
// the tool's own origin), "launch_storage_unavailable" (the page reported
// that the platform's frame did not answer or answered an error),
// "launch_storage_mismatch" (values that are not the stored ones).
core::Status check_storage_proof(const StorageProof& proof, std::string_view tool_origin, std::string_view state,
                                 std::string_view nonce);

}  // namespace mentoring::lti
