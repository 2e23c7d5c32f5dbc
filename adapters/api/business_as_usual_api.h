// The move from pilot to business-as-usual under /api/v1
// (app/business_as_usual.h): the scheme's plan, the readiness check with the
// plan's figures per pair, the phase change and its history. The host's
// back end calls these with the service token; X-Mentoring-Actor names the
// staff member (or the service acts). See docs/api.md, "Business-as-usual".
#pragma once

#include <string>

#include "adapters/http/router.h"
#include "app/business_as_usual.h"

namespace mentoring::api {

struct BusinessAsUsualApiContext {
  app::BusinessAsUsualService& service;
  // Bearer token for host back-end calls; empty disables these routes.
  std::string service_token;
};

// `ctx` must outlive the router.
void add_business_as_usual_routes(http::Router& router, const BusinessAsUsualApiContext& ctx);

}  // namespace mentoring::api
