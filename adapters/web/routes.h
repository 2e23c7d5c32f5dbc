// The web routes that need no signed-in person: static assets and the
// accessibility statement; and the HTML face of errors for browsers.
#pragma once

#include "adapters/http/router.h"
#include "adapters/web/portal_policy.h"
#include "adapters/web/renderer.h"
#include "adapters/web/security_headers.h"

namespace mentoring::web {

struct WebContext {
  Renderer renderer;
  SecurityPolicy policy;
  // When set, finish_response uses its current policy (the registered
  // portals' origins) instead of `policy`. Must outlive the context.
  const PortalPolicyCache* portals = nullptr;

  // The policy to apply to a response now.
  SecurityPolicy current_policy() const { return portals ? portals->current() : policy; }
};

// GET /static/{*path}, GET /accessibility. `ctx` must outlive the router.
void add_public_web_routes(http::Router& router, const WebContext& ctx);

// Applied to every response the plugin sends: adds the security headers,
// and turns a JSON error meant for a browser (a request outside /api/ that
// accepts text/html) into the matching HTML error page, so people never
// see raw JSON.
http::Response finish_response(const http::Request& request, http::Response response, const WebContext& ctx);

}  // namespace mentoring::web
