// Response headers that make the browser enforce what the pages promise: no
// script or style but our own files, framing only by the registered portals,
// no content sniffing.
//
// The pages are shown inside the host portal's iframe (LTI), so framing is
// allowed for 'self' plus each registered portal origin, and form-action
// allows the same portals because Deep Linking returns by a form POST to the
// portal. No Cross-Origin-Opener-Policy is sent: a page opened by a portal in
// a new window (some platforms launch that way) would otherwise lose its
// opener, which LTI's client-side postMessage storage needs. No X-Frame-Options
// either: it cannot name several origins, and frame-ancestors replaces it.
// Strict-Transport-Security belongs to whoever terminates TLS.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/http/message.h"
#include "core/status.h"

namespace mentoring::web {

struct SecurityPolicy {
  // Origins of the registered portals, normalised ("https://portal.example.ac.uk",
  // lower case, no default port), without duplicates. Empty: framing by
  // 'self' only.
  std::vector<std::string> portal_origins;

  // Builds a policy from configured origins. Each invalid entry is left out
  // and reported by its own Status in `rejected` (reason
  // "portal_origin_invalid", the entry in the message), so one mistyped
  // registration does not stop the pages from being framed by the others.
  static SecurityPolicy parse(std::span<const std::string> origins, std::vector<core::Status>& rejected);

  // As parse, but fails with the first invalid entry's Status.
  static core::Result<SecurityPolicy> parse_strict(std::span<const std::string> origins);

  // The Content-Security-Policy header value for this policy.
  std::string content_security_policy() const;
};

// Checks one origin and returns it normalised. An origin is scheme://host[:port]
// with nothing after it: https, or http for loopback hosts only (local
// development); a DNS name, IPv4 address or bracketed IPv6 address; no user
// information, path, query or fragment. Errors: invalid_argument
// "portal_origin_invalid" saying which rule the entry breaks.
core::Result<std::string> normalise_origin(std::string_view origin);

// Sets Content-Security-Policy, X-Content-Type-Options, Referrer-Policy and
// Permissions-Policy on `response`, replacing any earlier values. Does not
// touch Cache-Control, and sets no Cross-Origin-Resource-Policy: a portal
// that isolates itself (COEP require-corp) could then not frame the pages.
void apply_security_headers(http::Response& response, const SecurityPolicy& policy);

}  // namespace mentoring::web
