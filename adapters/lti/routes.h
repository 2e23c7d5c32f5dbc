// The LTI 1.3 endpoints, the signed-in home page, the session API and the
// LTI administration API.
//
//   GET|POST /lti/login      OIDC third-party login initiation
//   POST     /lti/launch     the platform's form post of id_token and state
//   GET      /lti/handoff    one-time link that opens the session in a new window
//   GET      /lti/jwks       the tool's public keys
//   GET      /               the signed-in home page (minimal for now)
//   GET      /api/v1/me      the session's person and capabilities (session cookie)
//   PUT|GET  /api/v1/lti/platforms            registrations (service token)
//   POST     /api/v1/lti/keys/rotate, /retire  tool key rotation (service token)
//   GET      /api/v1/lti/contexts, PUT /api/v1/lti/contexts/{id}/scheme
//   POST     /api/v1/lti/role-mappings          extra capabilities for a role
//
// LTI Advantage (Deep Linking, Dynamic Registration, NRPS, AGS) adds its
// routes in advantage_routes.h.
//
// Every rejected launch answers with an HTML page naming a stable reason
// code (also in the X-Mentoring-Reason header) and creates no session,
// account or nonce: all of them are written in one transaction, after every
// check has passed.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "adapters/http/router.h"
#include "adapters/lti/jwks_cache.h"
#include "adapters/web/session.h"
#include "adapters/lti/tool_keys.h"
#include "adapters/web/routes.h"
#include "core/clock.h"
#include "core/stores.h"

namespace mentoring::lti {

// Sessions and cookies belong to the web layer; a launch creates them.
using web::SessionManager;

struct LtiSettings {
  // http.public_url without a trailing slash: launch URLs must start with
  // public_url + "/lti/".
  std::string public_url;
  // Allowed clock difference with platforms. Default: 60 s.
  std::int64_t clock_skew_seconds = 60;
  // Life of a login state (and its cookie). Default: 600 s.
  std::int64_t state_ttl_seconds = 600;
  // Life of a new-window handoff link. Default: 60 s.
  std::int64_t handoff_ttl_seconds = 60;
  // Cookies are Secure/SameSite=None/Partitioned (see cookies.h).
  bool cookie_secure = true;
  // Bearer token of the administration API; empty disables it.
  std::string service_token;
};

struct LtiContext {
  core::Database& db;
  const core::Clock& clock;
  JwksCache& jwks;
  const ToolKeys& keys;
  const SessionManager& sessions;
  const web::WebContext& web;
  LtiSettings settings;
  // Where rejected launches are logged (level, line); may be empty.
  http::LogFn log;
};

// Wraps `inner` so that it runs only for requests carrying the service
// token (Authorization: Bearer); others get 401 with WWW-Authenticate.
http::RouteFn admin_route(const LtiContext& ctx, http::RouteFn inner);

// The query's parameters, then (POST) the form body's
// (application/x-www-form-urlencoded). Errors: invalid_argument
// "form_content_type_invalid", "form_invalid".
core::Result<std::vector<std::pair<std::string, std::string>>> read_form(const http::Request& req);

// Adds every route above. `ctx` must outlive the router.
void add_lti_routes(http::Router& router, const LtiContext& ctx);

// The reason-specific page for a rejected launch (status from the Status's
// code: 400, 401, 403, or 503 when the platform's keys could not be fetched).
http::Response launch_error_page(const LtiContext& ctx, const core::Status& status,
                                 const std::string& platform_description = {});

}  // namespace mentoring::lti
