// Whole error pages: the right status, the page drawn in the layout, and the
// security headers. Feature pages call these instead of answering with a
// bare status, so a person always sees what happened and what to do next.
#pragma once

#include <string>

#include "adapters/http/message.h"
#include "adapters/web/renderer.h"
#include "adapters/web/security_headers.h"
#include "core/status.h"

namespace mentoring::web {

enum class ErrorKind {
  kBadRequest,      // 400: the request could not be understood
  kForbidden,       // 403: signed in but not allowed to see this page
  kNotFound,        // 404
  kSessionExpired,  // 403: session ended, or the form's CSRF token was stale or altered
  kInternal,        // 500
  kUnavailable,     // 503: a dependency (the database) is down
  kRefused,         // 409: a rule of the scheme or the state of things refused it
};

// The HTTP status of each kind. A stale session is 403 rather than the
// unofficial 419, which proxies and monitoring do not know.
int http_status(ErrorKind kind);

// The kind of page to show for a use case's failure Status.
ErrorKind error_kind_for(const core::Status& status);

// What every page needs from the request besides its own data.
struct PageChrome {
  // Draw the NHS header; false inside the host portal's iframe.
  bool show_nhs_header = false;
  // Leave out the NHS logo (for hosts that are not NHS-branded).
  bool hide_nhs_logo = false;
  // Where the service name links to ("" for no link).
  std::string service_href;
};

// The page for `kind`, with `reference` (for example a request id, "" for
// none) printed so that support can find the log entry. Body is HTML;
// headers: Content-Type text/html, Cache-Control no-store and the security
// headers from `policy`.
http::Response error_page(ErrorKind kind, const Renderer& renderer, const SecurityPolicy& policy,
                          const PageChrome& chrome = {}, std::string_view reference = {});

http::Response bad_request_page(const Renderer&, const SecurityPolicy&, const PageChrome& = {});
http::Response forbidden_page(const Renderer&, const SecurityPolicy&, const PageChrome& = {});
http::Response not_found_page(const Renderer&, const SecurityPolicy&, const PageChrome& = {});
http::Response session_expired_page(const Renderer&, const SecurityPolicy&, const PageChrome& = {});
http::Response internal_error_page(const Renderer&, const SecurityPolicy&, const PageChrome& = {},
                                   std::string_view reference = {});
http::Response unavailable_page(const Renderer&, const SecurityPolicy&, const PageChrome& = {});
// 409 with `detail` (the refusal's own sentence, for example "The mentor has
// no free place for another mentee.") under the heading, and the promise
// that nothing was changed.
http::Response refused_page(const Renderer&, const SecurityPolicy&, const PageChrome& = {},
                            std::string_view detail = {});

// The accessibility statement (200).
http::Response accessibility_page(const Renderer& renderer, const SecurityPolicy& policy,
                                  const PageChrome& chrome = {});

// The data every page starts from: page_title, show_nhs_header,
// hide_nhs_logo and service_href set from `chrome` (see renderer.h for the
// layout's contract). Feature pages add their own keys to it.
kainjow::mustache::data page_data(std::string page_title, const PageChrome& chrome);

// An HTML response: status, body, Content-Type text/html; charset=utf-8,
// Cache-Control no-store (pages carry personal data) and security headers.
http::Response html_response(int status, std::string body, const SecurityPolicy& policy);

}  // namespace mentoring::web
