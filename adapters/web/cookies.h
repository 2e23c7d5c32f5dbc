// Cookies of the LTI flow and of sessions.
//
// The plugin runs in the portal's iframe, so its cookies are third-party
// there: they need SameSite=None, which browsers only accept with Secure,
// and Partitioned (CHIPS) so browsers that block unpartitioned third-party
// cookies still keep them, partitioned under the portal's site.
// A plain-http loopback deployment (development, tests) cannot use Secure
// cookies (clients do not send them over http), so there the cookies are
// SameSite=Lax without Secure or Partitioned; see cookies_secure_for().
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "adapters/http/message.h"

namespace mentoring::web {

struct CookieAttributes {
  std::string path = "/";
  // Seconds; negative for a cookie that ends with the browser session, 0 to delete.
  std::int64_t max_age = -1;
  // SameSite=None; Secure; Partitioned when true, SameSite=Lax otherwise.
  bool secure = true;
};

// The Set-Cookie header value: name=value; Path=...; [Max-Age=...;] HttpOnly; ...
// Names and values must be cookie tokens (the caller's are base64url and
// fixed names).
std::string set_cookie_header(std::string_view name, std::string_view value, const CookieAttributes& attributes);

// The value of cookie `name` in the request's Cookie header(s), if any.
std::optional<std::string> read_cookie(const http::Request& request, std::string_view name);

// Whether cookies should be Secure for a plugin reached at `public_url`:
// `configured` (session.cookie_secure), except that a plain-http URL on a
// loopback host (127.0.0.1, [::1], localhost) can never carry Secure cookies.
bool cookies_secure_for(std::string_view public_url, bool configured);

// Adds a Set-Cookie header (several may be set on one response).
void add_set_cookie(http::Response& response, std::string value);

}  // namespace mentoring::web
